// The learner's identity in this browser (mslbp_widgets.ui.identity.LearnerIdentity).
//
// `render` runs only in the browser that displays the widget (never `initialize`, which would run in every
// browser connected to the kernel): it reads the learner id kept in this browser's localStorage, makes a random
// one the first time, and tells the kernel. When the kernel sets another id ("continue as that learner"), the id
// is remembered here and every other identity widget of this page (and of this browser's other tabs) follows.
const KEY = "mslbp-learner-id";
const EVENT = "mslbp-learner-id";
const isId = (v) => typeof v === "string" && /^[0-9a-f]{32}$/.test(v);

function freshId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function storedId() {
  try {
    const v = window.localStorage.getItem(KEY);
    return isId(v) ? v : null;
  } catch (e) {
    return null; // storage blocked: the id lives as long as the page
  }
}

function store(id) {
  try {
    window.localStorage.setItem(KEY, id);
  } catch (e) {
    /* storage blocked: nothing to remember it in */
  }
}

let pageId = null; // the id of this page when localStorage cannot be used

function render({ model, el }) {
  el.classList.add("mslbp-learner-identity");
  el.style.display = "none";
  let id = storedId() || pageId;
  if (!id) {
    id = freshId();
    store(id);
  }
  pageId = id;
  const tell = (v) => {
    if (isId(v) && model.get("learner_id") !== v) {
      model.set("learner_id", v);
      model.save_changes();
    }
  };
  const fromKernel = () => {
    const v = model.get("learner_id");
    if (isId(v) && v !== (storedId() || pageId)) {
      store(v);
      pageId = v;
      window.dispatchEvent(new CustomEvent(EVENT, { detail: v }));
    }
  };
  const fromPage = (e) => tell(e.detail);
  const fromOtherTab = (e) => {
    if (e.key === KEY && isId(e.newValue)) tell(e.newValue);
  };
  model.on("change:learner_id", fromKernel);
  window.addEventListener(EVENT, fromPage);
  window.addEventListener("storage", fromOtherTab);
  tell(id);
  return () => {
    model.off("change:learner_id", fromKernel);
    window.removeEventListener(EVENT, fromPage);
    window.removeEventListener("storage", fromOtherTab);
  };
}

export default { render };
