// The page's entry: wires the plugin list, the run panel and the upload panel to the JSON API.
import { api } from "./api.js";
import { byId } from "./dom.js";
import { PluginList } from "./plugins.js";
import { RunPanel } from "./run.js";
import { UploadPanel } from "./upload.js";

const runPanel = new RunPanel();
const list = new PluginList((p) => void runPanel.open(p.id, p.version));
new UploadPanel((check) => {
  void list.refresh().then(() => {
    if (!check.manifest) return;
    list.select(check.manifest.id);
    void runPanel.open(check.manifest.id, check.manifest.version);
  });
});

byId("open-upload").addEventListener("click", () => {
  byId("upload-panel").scrollIntoView({ behavior: "smooth" });
  byId("wasm-file").focus();
});

void api.config().then((config) => runPanel.setConfig(config));
// A first visit opens the first plugin, so the run panel is ready to use right away.
void list.refresh().then((plugins) => {
  const first = plugins[0];
  if (!first) return;
  list.select(first.id);
  void runPanel.open(first.id, first.version);
});
