// The workspace preview: a stand-in for the Copilot Service workspace that hosts dealpane the way
// an application tab template does. Sessions are customers from the server's store; the frame's
// URL is built from the template's `url` and `data` exactly as the workspace builds it, and the
// frame is recreated on every session switch (the workspace reloads the tab from scratch).
//
// The page's own state lives in its query string (session, width, theme, kind, url, data, encode,
// guid, clip), so a demo or a test can open any state by address.

const ORIGIN = window.location.origin;
const WIDGET = `${ORIGIN}/`;
const NAME_SLUG = "{anchor._customerid_value@OData.Community.Display.V1.FormattedValue}";
const TYPE_SLUG = "{anchor._customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname}";

/** Template examples: each is a configuration an admin could type. */
const PRESETS = [
  { label: "Customer id", kind: "website", url: `${WIDGET}?customerId=`, data: "{anchor._customerid_value}" },
  { label: "Customer name", kind: "website", url: `${WIDGET}?customerName=`, data: NAME_SLUG },
  {
    label: "Id, name, type, case",
    kind: "website",
    url: `${WIDGET}?customerId=`,
    data: `{anchor._customerid_value}&customerName=${NAME_SLUG}&customerType=${TYPE_SLUG}&caseId={anchor.incidentid}`,
  },
  { label: "Bare GUID", kind: "website", url: `${WIDGET}?`, data: "{anchor._customerid_value}" },
  {
    label: "Conversation slugs",
    kind: "website",
    url: `${WIDGET}?customerId=`,
    data: "{customerRecordId}&customerName={customerName}&caseId={caseId}",
  },
  {
    label: "data as JSON",
    kind: "website",
    url: `${WIDGET}?data=`,
    data: '{"customerId":"{anchor._customerid_value}","customerName":"{customerName}"}',
  },
  {
    label: "Web resource",
    kind: "webresource",
    url: WIDGET,
    data: `customerId={anchor._customerid_value}&customerName=${NAME_SLUG}`,
  },
  { label: "Unfilled slug (admin mistake)", kind: "website", url: `${WIDGET}?customerId=`, data: "{anchor._parentaccountid_value}" },
];

const DEFAULTS = {
  session: "",
  width: "pane",
  theme: "auto",
  kind: PRESETS[0].kind,
  url: PRESETS[0].url,
  data: PRESETS[0].data,
  encode: "1",
  guid: "lower",
  clip: "0",
};

/** A customer the Sales store does not know: shows the widget's "not found" state. */
const WALK_IN = {
  id: "0d15ea5e-0000-4000-8000-00000000c0de",
  name: "Walk-in customer (not in Sales)",
  type: "contact",
  openDeals: null,
};

const $ = (id) => document.getElementById(id);

const state = { ...DEFAULTS, ...readQuery() };
let sessions = [];

function readQuery() {
  const params = new URLSearchParams(window.location.search);
  const out = {};
  for (const key of Object.keys(DEFAULTS)) {
    const value = params.get(key);
    if (value !== null) out[key] = value;
  }
  return out;
}

function writeQuery() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value !== DEFAULTS[key]) params.set(key, value);
  }
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

// ---- slugs and the frame URL ----------------------------------------------------------------

/** 32-bit FNV-1a: derives stable fake case data from a customer id. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function derivedGuid(seed) {
  const hex = [0, 1, 2, 3].map((i) => hash(`${seed}#${i}`).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const CASE_TITLES = [
  "Espresso machine leaks after descaling",
  "Invoice shows the wrong delivery address",
  "Grinder jams on fine setting",
  "Request for an on-site service visit",
  "Replacement parts arrived damaged",
  "Warranty question about a refurbished unit",
];
const ORIGINS = ["Phone", "Email", "Web", "Chat"];
const PRIORITIES = ["High", "Normal", "Low"];

function caseFor(customer) {
  const h = hash(customer.id);
  return {
    id: derivedGuid(customer.id),
    number: `CAS-${String(10000 + (h % 90000)).padStart(5, "0")}-${customer.id.slice(0, 4).toUpperCase()}`,
    title: CASE_TITLES[h % CASE_TITLES.length],
    origin: ORIGINS[(h >>> 3) % ORIGINS.length],
    priority: PRIORITIES[(h >>> 5) % PRIORITIES.length],
  };
}

/** The values the workspace substitutes for each slug it knows, for one session. */
function slugValues(session) {
  const guid = (id) => (state.guid === "upper" ? `{${id.toUpperCase()}}` : id);
  const c = session.customer;
  return {
    "anchor._customerid_value": guid(c.id),
    "anchor._customerid_value@OData.Community.Display.V1.FormattedValue": c.name,
    "anchor._customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": c.type,
    "anchor.incidentid": guid(session.case.id),
    "anchor.title": session.case.title,
    "anchor.ticketnumber": session.case.number,
    customerRecordId: guid(c.id),
    customerName: c.name,
    caseId: guid(session.case.id),
  };
}

/** Replaces the slugs the workspace knows; any other `{...}` stays as typed. */
export function fillSlugs(template, values, encode) {
  return template.replace(/\{([A-Za-z_][^{}"]*)\}/g, (whole, name) => {
    if (!Object.hasOwn(values, name)) return whole;
    const value = String(values[name]);
    return encode ? encodeURIComponent(value) : value;
  });
}

/** The frame's address, as the template builds it. */
export function frameUrl(kind, url, data, values, encode, theme) {
  const filled = fillSlugs(data, values, encode);
  let built =
    kind === "webresource" ? `${url}${url.includes("?") ? "&" : "?"}data=${encodeURIComponent(filled)}` : url + filled;
  // The workspace passes no theme (the widget follows the browser's); a chosen one is added so
  // both looks can be shown whatever the machine prefers.
  if (theme === "light" || theme === "dark") {
    built += `${built.includes("?") ? "&" : "?"}theme=${theme}`;
  }
  return built;
}

// ---- sessions -------------------------------------------------------------------------------

function sessionFor(customer) {
  return { customer, case: caseFor(customer) };
}

function initials(name) {
  const words = name.replace(/\(.*\)/, "").trim().split(/\s+/);
  return (words[0][0] + (words[1] ? words[1][0] : "")).toUpperCase();
}

function dealsLabel(count) {
  if (count === null || count === undefined) return "Deals unknown";
  if (count === 0) return "No open deals";
  return count === 1 ? "1 open deal" : `${count} open deals`;
}

/** A few customers with deals and a couple without, as the store returns them. */
function pickSessions(customers) {
  const withDeals = customers.filter((c) => c.openDeals > 0).slice(0, 4);
  const without = customers.filter((c) => c.openDeals === 0).slice(0, 2);
  const unknown = customers.filter((c) => c.openDeals === null || c.openDeals === undefined);
  const picked = [...withDeals, ...without];
  return picked.length > 0 ? picked : unknown.slice(0, 6);
}

async function fetchCustomers(q, top) {
  const response = await fetch(`/api/customers?q=${encodeURIComponent(q)}&top=${top}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const body = await response.json();
  return body.customers;
}

function renderSessions() {
  const list = $("session-list");
  list.replaceChildren(
    ...sessions.map((session) => {
      const c = session.customer;
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "session";
      button.dataset.session = c.id;
      if (c.id === state.session) button.setAttribute("aria-current", "true");
      const avatar = document.createElement("span");
      avatar.className = "session-avatar";
      avatar.setAttribute("aria-hidden", "true");
      avatar.textContent = initials(c.name);
      const text = document.createElement("span");
      text.className = "session-text";
      const name = document.createElement("span");
      name.className = "session-name";
      name.textContent = c.name;
      const meta = document.createElement("span");
      meta.className = "session-meta";
      meta.textContent = `${c.type === "contact" ? "Contact" : "Account"} · ${dealsLabel(c.openDeals)}`;
      text.append(name, meta);
      button.append(avatar, text);
      button.addEventListener("click", () => switchSession(c.id));
      item.append(button);
      return item;
    }),
  );
}

function currentSession() {
  return sessions.find((s) => s.customer.id === state.session) ?? null;
}

function switchSession(id) {
  state.session = id;
  writeQuery();
  renderSessions();
  renderCase();
  loadFrame();
}

function addSession(customer) {
  if (!sessions.some((s) => s.customer.id === customer.id)) {
    sessions.splice(sessions.length - 1, 0, sessionFor(customer));
  }
  switchSession(customer.id);
}

// ---- the case area --------------------------------------------------------------------------

function renderCase() {
  const session = currentSession();
  if (!session) return;
  const c = session.customer;
  $("tab-case-label").textContent = session.case.number;
  $("case-number").textContent = `Case · ${session.case.number}`;
  $("case-title").textContent = session.case.title;
  $("case-customer").textContent = c.name;
  $("case-type").textContent = c.type === "contact" ? "Contact" : "Account";
  $("case-priority").textContent = session.case.priority;
  $("case-origin").textContent = session.case.origin;
  $("case-desc").textContent =
    `${c.name} reported: "${session.case.title}". The agent checks open Sales deals in the Deals tab before calling back.`;
  const timeline = $("case-timeline");
  timeline.replaceChildren(
    ...[
      `${session.case.origin} · case created by the customer`,
      "Routed to the Tier 1 queue",
      "Assigned to you",
    ].map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }),
  );
}

// ---- the frame ------------------------------------------------------------------------------

function currentFrameUrl() {
  const session = currentSession();
  if (!session) return null;
  return frameUrl(state.kind, state.url, state.data, slugValues(session), state.encode === "1", state.theme);
}

/** Recreates the iframe: a fresh document per session switch, as in the workspace. */
function loadFrame() {
  const session = currentSession();
  const box = $("frame-box");
  const src = currentFrameUrl();
  const link = $("frame-url");
  if (!session || src === null) {
    box.replaceChildren();
    link.textContent = "";
    return;
  }
  link.textContent = src;
  link.href = src;
  const frame = document.createElement("iframe");
  frame.id = "dealpane-frame";
  frame.name = "dealpane";
  frame.title = `dealpane: open Sales deals of ${session.customer.name}`;
  if (state.clip === "1") frame.allow = "clipboard-write";
  frame.src = src;
  box.replaceChildren(frame);
  $("frame-caption").textContent = `Deals · ${session.customer.name}`;
}

// ---- controls -------------------------------------------------------------------------------

function applyLayout() {
  $("stage").dataset.width = state.width;
  const tab = state.width === "tab";
  $("tab-case").setAttribute("aria-selected", String(!tab));
  $("tab-app").setAttribute("aria-selected", String(tab));
  $("tab-case").tabIndex = tab ? -1 : 0;
  $("tab-app").tabIndex = tab ? 0 : -1;
  for (const radio of document.querySelectorAll('input[name="width"]')) radio.checked = radio.value === state.width;
}

function applyTheme() {
  const dark =
    state.theme === "dark" || (state.theme === "auto" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  $("theme").value = state.theme;
}

function applyTemplateFields() {
  $("template-kind").value = state.kind;
  $("template-url").value = state.url;
  $("template-data").value = state.data;
  $("encode-values").checked = state.encode === "1";
  $("allow-clipboard").checked = state.clip === "1";
  $("guid-style").value = state.guid;
  $("template-url-label").textContent = state.kind === "webresource" ? "Web resource page" : "url";
}

function set(changes, { reload = true } = {}) {
  Object.assign(state, changes);
  writeQuery();
  applyLayout();
  applyTheme();
  applyTemplateFields();
  if (reload) loadFrame();
}

function setWidth(width) {
  // The frame keeps its document when only its width changes, as a resized pane does.
  set({ width }, { reload: false });
}

function wireControls() {
  for (const radio of document.querySelectorAll('input[name="width"]')) {
    radio.addEventListener("change", () => setWidth(radio.value));
  }
  $("tab-case").addEventListener("click", () => setWidth("pane"));
  $("tab-app").addEventListener("click", () => setWidth("tab"));
  $("tab-case").addEventListener("keydown", tabKeys);
  $("tab-app").addEventListener("keydown", tabKeys);
  $("theme").addEventListener("change", (e) => set({ theme: e.target.value }));
  $("template-kind").addEventListener("change", (e) => set({ kind: e.target.value }));
  $("template-url").addEventListener("change", (e) => set({ url: e.target.value }));
  $("template-data").addEventListener("change", (e) => set({ data: e.target.value }));
  $("encode-values").addEventListener("change", (e) => set({ encode: e.target.checked ? "1" : "0" }));
  $("allow-clipboard").addEventListener("change", (e) => set({ clip: e.target.checked ? "1" : "0" }));
  $("guid-style").addEventListener("change", (e) => set({ guid: e.target.value }));
  $("reload-frame").addEventListener("click", () => loadFrame());
  $("presets").replaceChildren(
    ...PRESETS.map((preset) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = preset.label;
      button.addEventListener("click", () => set({ kind: preset.kind, url: preset.url, data: preset.data }));
      return button;
    }),
  );
  $("session-search").addEventListener("submit", (e) => {
    e.preventDefault();
    search($("search-q").value.trim());
  });
  window
    .matchMedia("(prefers-color-scheme: dark)")
    .addEventListener("change", () => state.theme === "auto" && applyTheme());
}

/** Arrow keys move between the two tabs (the ARIA tabs pattern). */
function tabKeys(event) {
  if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
  event.preventDefault();
  const next = event.currentTarget.id === "tab-case" ? "tab" : "pane";
  setWidth(next);
  $(next === "tab" ? "tab-app" : "tab-case").focus();
}

async function search(q) {
  const results = $("search-results");
  if (!q) {
    results.replaceChildren();
    return;
  }
  try {
    const customers = await fetchCustomers(q, 8);
    if (customers.length === 0) {
      const li = document.createElement("li");
      li.textContent = `No customer's name starts with "${q}".`;
      results.replaceChildren(li);
      return;
    }
    results.replaceChildren(
      ...customers.map((customer) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = `${customer.name} (${dealsLabel(customer.openDeals).toLowerCase()})`;
        button.addEventListener("click", () => {
          results.replaceChildren();
          addSession(customer);
        });
        li.append(button);
        return li;
      }),
    );
  } catch (error) {
    const li = document.createElement("li");
    li.textContent = `Search failed: ${error.message}. Is dealpane-server running?`;
    results.replaceChildren(li);
  }
}

async function start() {
  wireControls();
  applyLayout();
  applyTheme();
  applyTemplateFields();
  const status = $("sessions-status");
  let customers = [];
  try {
    customers = await fetchCustomers("", 20);
    status.textContent = "";
    status.hidden = true;
  } catch (error) {
    status.textContent = `Could not load customers (${error.message}). Start dealpane-server and reload.`;
  }
  sessions = [...pickSessions(customers).map(sessionFor), sessionFor(WALK_IN)];
  // A session named in the address but not among the listed ones (a deep link, a test):
  // `name` and `type` in the address describe it, since the picker searches by name only.
  if (state.session && !sessions.some((s) => s.customer.id === state.session)) {
    const params = new URLSearchParams(window.location.search);
    const found = customers.find((c) => c.id === state.session) ?? {
      id: state.session,
      name: params.get("name") ?? "Unlisted customer",
      type: params.get("type") === "contact" ? "contact" : "account",
      openDeals: null,
    };
    sessions.unshift(sessionFor(found));
  }
  if (!sessions.some((s) => s.customer.id === state.session)) state.session = sessions[0].customer.id;
  switchSession(state.session);
  document.documentElement.dataset.ready = "true";
}

start();
