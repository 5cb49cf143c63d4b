// The base-map preview page: the shared module, nothing else.
import { showBasemap } from "./basemap.js";

const container = document.getElementById("basemap");
showBasemap(container, {
  slug: container.dataset.slug,
  bounds: JSON.parse(container.dataset.bounds),
}).then((map) => {
  window.cartopartyBasemap = map; // for tests and the console
  container.dataset.ready = "true";
}).catch((error) => {
  container.dataset.ready = "error";
  container.textContent = error.message;
});
