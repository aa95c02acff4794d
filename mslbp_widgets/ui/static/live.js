// A polite live region (mslbp_widgets.ui.accessible.LiveHTML): the element stays on the page and its content
// is replaced, so screen readers announce each new feedback without interrupting the learner.
function render({ model, el }) {
  el.classList.add("mslbp-live");
  el.setAttribute("aria-live", "polite");
  const show = () => {
    el.innerHTML = model.get("value"); // HTML built by the package from escaped text
  };
  show();
  model.on("change:value", show);
}

export default { render };
