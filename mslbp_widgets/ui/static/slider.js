// A labelled slider (mslbp_widgets.ui.accessible.Slider): a native range input named by its visible label, with
// the value written beside it. The kernel hears the value when the learner lets go (or per arrow key); the
// readout follows while dragging. Every slider of the course has the same label width, so tracks line up.
let counter = 0;

function render({ model, el }) {
  const uid = `mslbp-slider-${Date.now().toString(36)}-${(counter += 1)}`;
  el.classList.add("mslbp-slider");
  const label = document.createElement("label");
  label.htmlFor = uid;
  label.className = "mslbp-slider-label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = uid;
  // JupyterLab's command mode would take the arrow keys (moving between cells): here they move the slider.
  input.setAttribute("data-lm-suppress-shortcuts", "true");
  const readout = document.createElement("output");
  readout.htmlFor = uid;
  readout.className = "mslbp-slider-readout";
  const fmt = (v) => Number(v).toFixed(model.get("decimals"));
  const update = () => {
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.disabled = model.get("disabled");
    readout.textContent = fmt(model.get("value"));
  };
  input.addEventListener("input", () => {
    readout.textContent = fmt(input.value);
  });
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  update();
  model.on("change", update);
  el.append(label, input, readout);
}

export default { render };
