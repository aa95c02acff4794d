// An upload button that says only what it does (mslbp_widgets.ui.accessible.UploadButton): a labelled native
// file input, reachable with Tab, opened with Space or Enter. ipywidgets' FileUpload adds a count, "(0)", to its
// label. The chosen files go to the kernel as {name, type, size, last_modified, content} (content as bytes).
let counter = 0;

function render({ model, el }) {
  const uid = `mslbp-upload-${Date.now().toString(36)}-${(counter += 1)}`;
  el.classList.add("mslbp-upload");
  const input = document.createElement("input");
  input.type = "file";
  input.id = uid;
  input.className = "mslbp-upload-input";
  const label = document.createElement("label");
  label.htmlFor = uid;
  label.className = "mslbp-upload-button";
  const update = () => {
    input.accept = model.get("accept");
    input.multiple = model.get("multiple");
    input.disabled = model.get("disabled");
    label.textContent = model.get("description");
    label.title = model.get("tooltip") || "";
  };
  input.addEventListener("change", async () => {
    const files = await Promise.all(
      Array.from(input.files || []).map(async (f) => ({
        name: f.name, type: f.type, size: f.size, last_modified: f.lastModified,
        content: new DataView(await f.arrayBuffer()),
      })),
    );
    input.value = ""; // the same file can be chosen again
    model.set("value", files);
    model.save_changes();
  });
  update();
  for (const name of ["accept", "multiple", "disabled", "description", "tooltip"]) {
    model.on(`change:${name}`, update);
  }
  el.append(input, label);
}

export default { render };
