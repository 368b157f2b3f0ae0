// The workbench (records/admin/workbench.py): links the suggestions' list and the
// highlighted text, switches kinds off and on, and shows a selection's offsets in the
// stored text (code points, as quotes' start and end count them). Served from static
// files: the Content-Security-Policy allows no inline script.
"use strict";
(function () {
  const text = document.getElementById("wb-text");
  if (!text) return;
  let focused = [];

  function focus(number, scroll) {
    focused.forEach((element) => element.classList.remove("wb-focus"));
    focused = [
      ...text.querySelectorAll(`mark[data-s~="${number}"]`),
      ...document.querySelectorAll(`.wb-item[data-s="${number}"]`),
    ];
    focused.forEach((element) => element.classList.add("wb-focus"));
    if (scroll && focused[0]) focused[0].scrollIntoView({ block: "center" });
  }

  // The claim form (when the curator may make claims): the selected words' offsets,
  // a status from a certainty cue among them, a record from a picked suggestion.
  const claim = document.getElementById("wb-claim");
  const input = (name) => (claim ? claim.querySelector(`[name="${name}"]`) : null);
  const quote = document.getElementById("wb-quote");
  const REFERENCE = { person: "person", party: "party", organisation: "organisation", place: "place" };
  const link = document.getElementById("wb-link");
  function choose(start, end) {
    if (link) {
      link.querySelector('[name="start"]').value = start;
      link.querySelector('[name="end"]').value = end;
    }
    if (!claim) return;
    input("start").value = start;
    input("end").value = end;
    quote.textContent = `“${[...text.textContent].slice(start, end).join("")}”`;
    const cues = [...document.querySelectorAll('.wb-item[data-kind="cue"]')].filter(
      (item) => start <= Number(item.dataset.start) && Number(item.dataset.end) <= end,
    );
    if (cues.length) input("status").value = cues[0].dataset.status;
  }

  // Only the fields of the chosen kind of claim are shown (all are sent; the server reads its kind's).
  const ALWAYS = ["start", "end", "kind", "status"];
  const LINKED = ["link_kind", "link_target"];
  const FIELDS = {
    posting: ["person", "key", "role", "rank", "organisation", "place", "start_date", "end_date", ...LINKED],
    membership: ["person", "key", "party", "role", "rank", "start_date", "end_date", ...LINKED],
    event: ["person", "key", "event_kind", "title", "organisation", "date", ...LINKED],
    candidacy: ["person", "key", "party", "place", "election", ...LINKED],
    relation: ["person", "relation_kind", "other", ...LINKED],
    alias: ["person", "alias_name", "alias_kind"],
    party_result: ["election", "party", "seats_won", "seats_with_allies", "vote_share", ...LINKED],
  };
  function showFields() {
    const shown = new Set([...ALWAYS, ...(FIELDS[input("kind").value] || [])]);
    claim.querySelectorAll(".form-row").forEach((row) => {
      const name = [...row.classList].find((c) => c.startsWith("wb-field-")).slice("wb-field-".length);
      row.hidden = !shown.has(name);
    });
  }
  if (claim) {
    input("kind").addEventListener("change", showFields);
    showFields();
  }

  document.querySelectorAll(".wb-item").forEach((item) => {
    if (!item.querySelector(".wb-jump")) return; // a pending record, not a suggestion
    item.querySelector(".wb-jump").addEventListener("click", () => {
      focus(item.dataset.s, true);
      const field = REFERENCE[item.dataset.kind];
      if (claim && field && item.dataset.slug) input(field).value = item.dataset.slug;
      if (claim && !field) choose(Number(item.dataset.start), Number(item.dataset.end));
    });
  });

  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark");
    if (!mark) return;
    const number = mark.dataset.s.split(" ")[0];
    focus(number, false);
    const item = document.querySelector(`.wb-item[data-s="${number}"]`);
    if (item) item.scrollIntoView({ block: "nearest" });
  });

  document.querySelectorAll(".wb-toggle").forEach((box) => {
    box.addEventListener("change", () => text.classList.toggle(`wb-off-${box.value}`, !box.checked));
  });

  const shown = document.getElementById("wb-selection");
  function offset(node, within) {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, within);
    return [...range.toString()].length; // code points, not UTF-16 units
  }
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    const range = selection.rangeCount ? selection.getRangeAt(0) : null;
    if (!range || range.collapsed || !text.contains(range.startContainer) || !text.contains(range.endContainer)) {
      shown.hidden = true;
      return;
    }
    const start = offset(range.startContainer, range.startOffset);
    const end = offset(range.endContainer, range.endOffset);
    shown.textContent = `Selected ${start}–${end}: “${range.toString()}”`;
    shown.hidden = false;
    choose(start, end);
  });
})();
