from aflab.data import html_to_text


def test_strips_tags_and_decodes_entities():
    text = html_to_text("Cows &amp; pigs&nbsp;<a href='https://x'><u>suffer</u></a> &#x2019;")
    assert text == "Cows & pigs suffer \u2019"


def test_paragraphs_and_lists():
    markup = "Intro:<p>First para.</p><ul>\n<li>one</li>\n<li>two</li></ul>End"
    assert html_to_text(markup) == "Intro:\n\nFirst para.\n\n- one\n- two\n\nEnd"


def test_hidden_content_dropped():
    assert html_to_text("a<script>alert(1)</script>b<iframe src='v'></iframe>") == "ab"


def test_plain_text_with_angle_brackets_kept():
    assert html_to_text("flocks of <500 birds and 8<9") == "flocks of <500 birds and 8<9"
