// Where a contribution is: a tap on the map, the device position, or typed coordinates.

import { say } from "./dom.js";
import { LANG } from "./labels.js";

const GEO_ERRORS = {
  1: gettext("You did not allow the position. Tap the map or type the coordinates instead."),
  2: gettext("Your position could not be found. Tap the map or type the coordinates instead."),
  3: gettext("Finding your position took too long. Try again, or tap the map."),
};

function parseCoordinate(input, limit) {
  const raw = input.value.trim().replace(",", ".");
  if (raw === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : NaN;
}

/**
 * The location picker shared by both forms. `read()` returns {lat, lon} or null and shows
 * an error next to the coordinates when they are missing or wrong.
 */
export function createLocationPicker({ mapView, latInput, lonInput, button, status, error }) {
  function clearError() {
    say(error, "");
    latInput.removeAttribute("aria-invalid");
    lonInput.removeAttribute("aria-invalid");
  }

  function set(lat, lon, { accuracy = null, pan = true } = {}) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    clearError();
    mapView.setLocation(lat, lon, { accuracy, pan });
  }

  mapView.onPick((lat, lon) => {
    set(lat, lon, { pan: false });
    say(status, interpolate(gettext("Location chosen on the map: latitude %(lat)s, longitude %(lon)s."),
      { lat: lat.toFixed(5), lon: lon.toFixed(5) }, true));
  });
  mapView.onDragLocation((lat, lon) => set(lat, lon, { pan: false }));

  function fromInputs() {
    const lat = parseCoordinate(latInput, 90);
    const lon = parseCoordinate(lonInput, 180);
    if (lat === null || lon === null) return;
    if (Number.isNaN(lat) || Number.isNaN(lon)) return;
    clearError();
    mapView.setLocation(lat, lon, { pan: true });
  }
  latInput.addEventListener("change", fromInputs);
  lonInput.addEventListener("change", fromInputs);

  button.addEventListener("click", () => {
    if (!("geolocation" in navigator) || !window.isSecureContext) {
      say(status, gettext("This browser cannot give your position on this page. Tap the map or type the coordinates instead."));
      return;
    }
    button.disabled = true;
    say(status, gettext("Looking for your position…"));
    navigator.geolocation.getCurrentPosition(
      (position) => {
        button.disabled = false;
        const { latitude, longitude, accuracy } = position.coords;
        set(latitude, longitude, { accuracy, pan: true });
        const metres = Math.round(accuracy);
        let message = interpolate(gettext("Position found, accurate to about %(metres)s m."),
          { metres: new Intl.NumberFormat(LANG).format(metres) }, true);
        if (metres > 50) {
          message += " " + gettext("That is not very precise: check the marker on the map and drag it if needed.");
        }
        say(status, message);
      },
      (geoError) => {
        button.disabled = false;
        say(status, GEO_ERRORS[geoError.code] || GEO_ERRORS[2]);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 },
    );
  });

  return {
    read() {
      const lat = parseCoordinate(latInput, 90);
      const lon = parseCoordinate(lonInput, 180);
      let message = null;
      if (lat === null || lon === null) {
        message = gettext("Choose a location: tap the map, use your position, or type the latitude and longitude.");
      } else if (Number.isNaN(lat) || Number.isNaN(lon)) {
        message = gettext("The latitude must be between -90 and 90 and the longitude between -180 and 180, in decimal degrees.");
      }
      if (message) {
        say(error, message);
        const wrong = lat === null || Number.isNaN(lat) ? latInput : lonInput;
        wrong.setAttribute("aria-invalid", "true");
        wrong.focus();
        return null;
      }
      return { lat, lon };
    },
    clear() {
      latInput.value = "";
      lonInput.value = "";
      clearError();
      say(status, "");
      mapView.setLocation(null);
    },
  };
}
