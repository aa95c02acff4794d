// The options of one question as one labelled group (mslbp_widgets.ui.accessible.ChoiceGroup): native radio
// buttons sharing a name (one Tab stop, arrow keys move between them) or checkboxes, inside role=radiogroup or
// role=group, named by the question text (aria-labelledby). Each option's circle or box sits on its first line.
let counter = 0;

function render({ model, el }) {
  const uid = `mslbp-choices-${Date.now().toString(36)}-${(counter += 1)}`;
  el.classList.add("mslbp-choices");
  // JupyterLab's command mode would take the arrow keys (moving between cells): inside the group they move
  // between the options, as in any radio group.
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const label = document.createElement("div");
  label.id = `${uid}-label`;
  label.className = "mslbp-choices-label";
  const group = document.createElement("div");
  group.className = "mslbp-choices-group";
  group.setAttribute("aria-labelledby", label.id);
  el.append(label, group);

  const chosen = () => {
    const v = model.get("value");
    return new Set(Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);
  };
  const sync = () => {
    const selected = chosen();
    const disabled = model.get("disabled");
    for (const input of group.querySelectorAll("input")) {
      input.checked = selected.has(input.value);
      input.disabled = disabled;
    }
  };
  const draw = () => {
    const multiple = model.get("multiple");
    group.setAttribute("role", multiple ? "group" : "radiogroup");
    label.innerHTML = model.get("label_html"); // built by the package from escaped text
    group.replaceChildren();
    for (const [text, id] of model.get("options")) {
      const row = document.createElement("label");
      row.className = "mslbp-choice";
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = uid;
      input.value = id;
      // Lumino matches a shortcut's selector on the focused element itself before it looks at the ancestors,
      // so the option carries the attribute too.
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.addEventListener("change", () => {
        const ids = Array.from(group.querySelectorAll("input")).filter((i) => i.checked).map((i) => i.value);
        model.set("value", multiple ? ids : ids.length ? ids[0] : null);
        model.save_changes();
      });
      const span = document.createElement("span");
      span.textContent = text;
      row.append(input, span);
      group.append(row);
    }
    sync();
  };
  draw();
  model.on("change:options", draw);
  model.on("change:multiple", draw);
  model.on("change:label_html", draw);
  model.on("change:value", sync);
  model.on("change:disabled", sync);
  model.on("msg:custom", (msg) => {
    if (msg && msg.do === "focus") {
      const target = group.querySelector("input:checked") || group.querySelector("input");
      if (target) target.focus();
    }
  });
}

export default { render };
