// Progressive enhancement of the log-a-call form: the form works without it.
// - the caller is found in the staff directory as the desk types;
// - the category shows at once its type, escalate-to group and response level;
// - a teaching space suggests the procedure's category and summary line;
// - the room's equipment is offered for the asset tag.
(function () {
  const form = document.getElementById("log-call");
  if (!form) return;
  const categories = JSON.parse(document.getElementById("categories-data").textContent);
  const locations = JSON.parse(document.getElementById("locations-data").textContent);
  const $ = (id) => document.getElementById(id);
  const byId = (list, id) => list.find((x) => String(x.id) === String(id));

  function showImplications() {
    const c = byId(categories, $("category_id").value);
    const set = (key, text) => { form.querySelector(`[data-imp="${key}"]`).textContent = text; };
    set("call_type", c ? c.call_type : "–");
    set("group_name", c ? c.group_name : "–");
    set("level", c ? `${c.level_name} (respond within ${c.respond_hours} h, resolve within ${c.resolve_hours} h)` : "–");
  }
  $("category_id").addEventListener("change", showImplications);
  showImplications();

  let people = [];
  let timer = null;
  $("caller_name").addEventListener("input", () => {
    clearTimeout(timer);
    const q = $("caller_name").value.trim();
    $("caller_id").value = "";
    const match = people.find((p) => p.name === q);
    if (match) { choosePerson(match); return; }
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      const r = await fetch(`${form.dataset.peopleUrl}?q=${encodeURIComponent(q)}`, { credentials: "same-origin" });
      if (!r.ok) return;
      people = await r.json();
      const list = $("people-list");
      list.replaceChildren(...people.map((p) => {
        const o = document.createElement("option");
        o.value = p.name;
        o.label = [p.department, p.email].filter(Boolean).join(" · ");
        return o;
      }));
      const exact = people.find((p) => p.name === $("caller_name").value.trim());
      if (exact) choosePerson(exact);
    }, 150);
  });
  function choosePerson(p) {
    $("caller_id").value = p.id;
    if (!$("caller_email").value) $("caller_email").value = p.email || "";
    if (!$("caller_phone").value) $("caller_phone").value = p.phone || "";
  }

  // The room's open calls, shown before a duplicate is logged (the page renders the same list
  // for /calls/new?location_id=N); each offers "Add a note to this call instead".
  async function showOpenCalls(loc) {
    const box = $("open-in-room");
    if (!box) return;
    const hint = $("room-open-hint");
    if (hint) hint.remove();
    box.hidden = true;
    box.replaceChildren();
    if (!loc) return;
    const r = await fetch(`${box.dataset.url}?location_id=${loc.id}`, { credentials: "same-origin" });
    if (!r.ok) return;
    const calls = await r.json();
    if (!calls.length || String(loc.id) !== $("location_id").value) return;
    const el = (tag, props = {}, ...kids) => {
      const node = Object.assign(document.createElement(tag), props);
      node.append(...kids);
      return node;
    };
    const token = form.querySelector('input[name="csrf_token"]').value;
    const items = calls.map((c) => {
      const note = el("form", { method: "post", action: c.note_url, noValidate: true },
        el("input", { type: "hidden", name: "csrf_token", value: token }),
        el("label", { htmlFor: `room-note-${c.id}`, textContent: "Add a note to this call instead" }),
        el("textarea", { id: `room-note-${c.id}`, name: "note_text", rows: 2 }),
        el("button", { type: "submit", className: "button", textContent: `Add the note to ${c.ref}` }));
      const line = el("p", {}, el("a", { href: c.url, textContent: c.ref }),
        ` ${c.summary} · ${c.status} · logged ${c.logged_at}${c.assignee ? " · " + c.assignee : ""}`);
      return el("li", {}, line, note);
    });
    box.append(el("h2", { textContent: "Open calls for this room" }),
      el("p", { className: "hint", textContent: "Check these before logging another: if it is the same problem, tell the caller its progress and add a note to it instead." }),
      el("ul", {}, ...items));
    box.hidden = false;
    const field = $("location_id").closest(".field");
    field.after(el("p", { id: "room-open-hint", className: "room-open-hint" },
      `This room has ${calls.length} open call${calls.length === 1 ? "" : "s"}: `,
      el("a", { href: "#open-in-room", textContent: "see them before logging another" })));
  }

  async function locationChosen() {
    const loc = byId(locations, $("location_id").value);
    const list = $("equipment-list");
    list.replaceChildren();
    showOpenCalls(loc);
    if (!loc) return;
    if (loc.teaching_space) {
      const ts = categories.find((c) => c.name === "Teaching Space Technology");
      if (ts && !$("category_id").value.replace("0", "")) { $("category_id").value = ts.id; showImplications(); }
      if (!$("summary").value) $("summary").value = `Teaching space – ${loc.site} – ${loc.building} – ${loc.room}`;
    }
    const url = form.dataset.equipmentUrl.replace("/0/", `/${loc.id}/`);
    const r = await fetch(url, { credentials: "same-origin" });
    if (!r.ok) return;
    const items = await r.json();
    list.replaceChildren(...items.map((e) => {
      const o = document.createElement("option");
      o.value = e.asset_tag;
      o.label = `${e.type} ${e.make} ${e.model}`.trim();
      return o;
    }));
  }

  $("location_id").addEventListener("change", locationChosen);
  // A room already chosen when this runs (picked while the page loaded, or kept by the
  // browser on Back) gets the same warnings as one chosen now, unless the page came with them.
  if (byId(locations, $("location_id").value) && $("open-in-room").hidden) locationChosen();
})();
