// Transcript browser. Every model or judge text reaches the page through textContent.
(function () {
  "use strict";
  var PAGE = parseInt(document.getElementById("samples").dataset.pageSize, 10) || 50;
  var data = JSON.parse(document.getElementById("samples-data").textContent);
  var page = 0;
  var shown = data;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function label(value, yes, no) {
    if (value === null || value === undefined) return "unscored";
    return value >= 0.5 ? yes : no;
  }

  function fill(id, key) {
    var select = document.getElementById(id);
    var values = Array.from(new Set(data.map(function (r) { return r[key]; }))).sort();
    values.forEach(function (v) {
      var opt = el("option", null, v);
      opt.value = v;
      select.appendChild(opt);
    });
  }

  function matches(r, f) {
    if (f.model && r.model !== f.model) return false;
    if (f.setting && r.setting !== f.setting) return false;
    if (f.variant && r.variant !== f.variant) return false;
    if (f.tier && r.tier !== f.tier) return false;
    if (f.compliance && label(r.complied, "complied", "refused") !== f.compliance) return false;
    if (f.af && label(r.af_label, "yes", "no") !== f.af) return false;
    if (f.text) {
      var hay = [r.query, r.scratchpad, r.output, r.query_id].join("\n").toLowerCase();
      if (hay.indexOf(f.text) < 0) return false;
    }
    return true;
  }

  function block(parent, title, text) {
    parent.appendChild(el("h4", null, title));
    parent.appendChild(el("pre", null, text === null || text === undefined ? "(none)" : text));
  }

  function card(r) {
    var details = el("details", "sample");
    var summary = el("summary");
    summary.appendChild(el("span", null, [r.model, r.setting, r.variant, r.tier].join(" · ") +
      " · " + r.query_id + " (epoch " + r.epoch + ")"));
    var c = label(r.complied, "complied", "refused");
    summary.appendChild(el("span", "badge " + (c === "complied" ? "yes" : "no"), c));
    var a = label(r.af_label, "yes", "no");
    summary.appendChild(el("span", "badge " + a, "AF reasoning: " + a));
    if (r.error) summary.appendChild(el("span", "badge yes", "error"));
    details.appendChild(summary);
    var body = el("div", "body");
    block(body, "Query", r.query);
    block(body, "Scratchpad", r.scratchpad);
    block(body, "Output", r.output);
    var facts = [
      "compliance method: " + (r.compliance_method || "-"),
      "AF score: " + (r.af_score === null ? "-" : r.af_score),
      "AF classifier: " + (r.af_classifier || "-"),
      "format ok: " + label(r.format_ok, "yes", "no"),
      "judge failures: " + r.judge_failures
    ];
    if (r.unscored_reason) facts.push("unscored: " + r.unscored_reason);
    if (r.error) facts.push("error: " + r.error);
    body.appendChild(el("h4", null, "Scores"));
    body.appendChild(el("p", "note", facts.join(" · ")));
    body.appendChild(el("h4", null, "Alignment-faking votes (" + r.n_votes + ")"));
    var list = el("ul", "votes");
    r.votes.forEach(function (v) {
      var item = el("li");
      var verdict = v.vote === null ? "?" : (v.vote ? "yes" : "no");
      item.appendChild(el("strong", null, verdict + ": "));
      item.appendChild(el("span", null, v.reason === null ? "" : v.reason));
      list.appendChild(item);
    });
    if (!r.votes.length) list.appendChild(el("li", null, "(no votes recorded)"));
    body.appendChild(list);
    details.appendChild(body);
    return details;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    var list = document.getElementById("samples");
    list.replaceChildren();
    shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (r, i) {
      var node = card(r);
      if (i === 0) node.open = true;
      list.appendChild(node);
    });
    document.getElementById("page-info").textContent =
      "page " + (page + 1) + " of " + pages + " · " + shown.length + " of " + data.length +
      " samples";
    document.getElementById("prev").disabled = page === 0;
    document.getElementById("next").disabled = page >= pages - 1;
  }

  function apply() {
    var f = {};
    ["model", "setting", "variant", "tier", "compliance", "af"].forEach(function (k) {
      f[k] = document.getElementById("f-" + k).value;
    });
    f.text = document.getElementById("f-text").value.trim().toLowerCase();
    shown = data.filter(function (r) { return matches(r, f); });
    page = 0;
    render();
  }

  ["model", "setting", "variant", "tier"].forEach(function (k) { fill("f-" + k, k); });
  document.querySelectorAll(".filters select").forEach(function (s) {
    s.addEventListener("change", apply);
  });
  document.getElementById("f-text").addEventListener("input", apply);
  document.getElementById("prev").addEventListener("click", function () { page--; render(); });
  document.getElementById("next").addEventListener("click", function () { page++; render(); });
  render();
})();
