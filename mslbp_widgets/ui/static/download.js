// A download made when it is asked for (mslbp_widgets.ui.accessible.DownloadButton): a native button; pressing it
// asks the kernel for the file, which arrives as bytes with its name and type and is saved by the browser through a
// link with a `download` attribute. The link stays beside the button (named by the file) for a browser that did
// not save it at once, and goes as soon as the kernel says the content has changed. The status is a polite live
// region, so a screen reader hears "Preparing…" and then the file's name.
function render({ model, el }) {
  el.classList.add("mslbp-download");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "mslbp-download-button";
  const status = document.createElement("span");
  status.className = "mslbp-download-status";
  status.setAttribute("aria-live", "polite");
  let url = null;
  let waiting = false;
  const forget = () => {
    if (url) URL.revokeObjectURL(url);
    url = null;
    status.replaceChildren();
  };
  const update = () => {
    button.textContent = model.get("description");
    button.title = model.get("tooltip") || "";
    button.disabled = model.get("disabled") || waiting;
  };
  button.addEventListener("click", () => {
    waiting = true;
    update();
    forget();
    status.textContent = "Preparing…";
    model.send({ do: "download" });
  });
  model.on("msg:custom", (msg, buffers) => {
    waiting = false;
    update();
    if (msg.do === "failed") {
      status.textContent = msg.message;
      return;
    }
    if (msg.do !== "save") return;
    forget();
    url = URL.createObjectURL(new Blob(buffers || [], { type: msg.mime }));
    const link = document.createElement("a");
    link.href = url;
    link.download = msg.name;
    link.className = "mslbp-download-link";
    link.textContent = msg.name;
    status.append("Saved as ", link, " (if your browser did not save it, press the file name).");
    link.click();
  });
  model.on("change:version", forget);
  for (const name of ["description", "tooltip", "disabled"]) model.on(`change:${name}`, update);
  update();
  el.append(button, status);
  return () => forget();
}

export default { render };
