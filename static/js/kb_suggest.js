// Progressive enhancement of the log-a-call page: while the desk types the summary or
// picks a category, articles that may fix the fault are listed beside the form. Links
// open in a new tab so the half-typed call is never lost. Without this script the form
// and the knowledge base both work as before.
(function () {
  const panel = document.getElementById("kb-suggest");
  const summary = document.getElementById("summary");
  const category = document.getElementById("category_id");
  const room = document.getElementById("location_id");
  const asset = document.getElementById("asset_tag");
  if (!panel || !summary) return;
  const list = document.getElementById("kb-suggestions");
  const hint = document.getElementById("kb-suggest-hint");
  let timer = null;
  let last = "";
  let pending = null;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  async function refresh() {
    const q = summary.value.trim();
    const cat = category && category.value !== "0" ? category.value : "";
    const place = room && room.value !== "0" ? room.value : "";
    const tag = asset ? asset.value.trim() : "";
    const key = `${q}|${cat}|${place}|${tag}`;
    if (key === last) return;
    last = key;
    if (q.length < 3 && !cat) { show(null); return; }
    if (pending) pending.abort();
    pending = new AbortController();
    const params = new URLSearchParams({ q, category_id: cat, location_id: place, asset_tag: tag });
    const url = `${panel.dataset.suggestUrl}?${params}`;
    try {
      const response = await fetch(url, { credentials: "same-origin", signal: pending.signal });
      if (response.ok) show(await response.json());
    } catch (err) {
      // Aborted by a newer keystroke, or the network dropped: keep what is shown.
    }
  }

  function show(items) {
    list.replaceChildren(...(items || []).map((a) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = a.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = a.title;
      li.append(link);
      if (a.solved) {
        const solved = document.createElement("span");
        solved.className = "hint";
        solved.textContent = ` solved ${a.solved} call${a.solved === 1 ? "" : "s"}`;
        li.append(solved);
      }
      return li;
    }));
    if (items === null) {
      hint.textContent = "Type the summary and choose a category: articles that may fix it appear here.";
    } else if (items.length) {
      hint.textContent = "These may fix it. Open one in a new tab; after logging, link it on the call's page.";
    } else {
      hint.textContent = "No article matches yet.";
    }
  }

  summary.addEventListener("input", schedule);
  if (category) category.addEventListener("change", schedule);
  if (room) room.addEventListener("change", schedule);
  if (asset) asset.addEventListener("change", schedule);
  schedule();
})();
