"""A tiny, randomly initialised Llama base model built offline, for smoke tests.

Nothing is downloaded: the tokenizer is a byte-level BPE trained on the given texts with
the `tokenizers` library and the model is a two-layer Llama config with random weights.
It learns nothing useful; it exists to run the fine-tuning route end to end on a CPU in
seconds (tests, benchmarks, a first check of a new installation).
"""

from collections.abc import Sequence
from pathlib import Path

from aflab.organisms._extra import require_extra

__all__ = ["TOY_CHAT_TEMPLATE", "make_toy_base"]

TOY_CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}</s>\n"
    "{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
"""A minimal chat template, so chat providers (Inspect's `hf`) can prompt the toy model."""

_SPECIAL = ["<pad>", "<s>", "</s>", "<unk>"]


def make_toy_base(
    texts: Sequence[str],
    out: Path,
    *,
    vocab_size: int = 512,
    hidden_size: int = 64,
    layers: int = 2,
    seed: int = 0,
    init_range: float = 0.2,
) -> Path:
    """Build and save a tiny Llama model and a tokenizer trained on `texts`.

    Args:
        texts: Text to train the tokenizer on (the documents to fine-tune on will do).
        out: Folder to write the model and tokenizer to (created).
        vocab_size: Upper bound on the BPE vocabulary.
        hidden_size: Width of the model.
        layers: Number of decoder layers.
        seed: Seed of the random initialisation.
        init_range: Standard deviation of the random weights. The output layer stays
            frozen under LoRA and the final norm fixes the hidden state's length, so the
            usual 0.02 caps the logits near +-1 and the loss can hardly fall below
            log(vocabulary); 0.2 leaves room for the adapter to learn.

    Returns:
        `out`, loadable with `AutoModelForCausalLM.from_pretrained` and `AutoTokenizer`.
    """
    require_extra()
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    out.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=_SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    bpe.train_from_iterator(list(texts), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=bpe,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
    )
    tokenizer.chat_template = TOY_CHAT_TEMPLATE
    tokenizer.save_pretrained(str(out))

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=hidden_size * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=False,
        initializer_range=init_range,
    )
    LlamaForCausalLM(config).save_pretrained(str(out))
    return out
