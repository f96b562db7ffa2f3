/* EST report form on a phone: one-tap choices, a map to tap, a draft kept on the phone, and an
   outbox that sends when there is a connection.

   - The draft (what is in the form) is kept in localStorage on every change, with a client key
     made once per draft (crypto.randomUUID). Reloading the page brings it back.
   - "Send" moves the draft to the outbox and tries to send it as JSON (with the CSRF token).
     Without a connection it stays in the outbox and goes when the 'online' event fires (and on
     a timer, and on the next visit). The server stores a key once, so a resend is harmless.
   - Errors from the server are shown at their fields and the report comes back as the draft.
   Without JavaScript none of this runs and the form posts as a plain HTML form.
   No text is ever written to the console. */
(function () {
  "use strict";

  var DRAFT_KEY = "kvarter-est-draft";
  var OUTBOX_KEY = "kvarter-est-outbox";
  var RETRY_MS = 15000;

  var form = document.getElementById("report-form");
  if (!form) { return; }
  document.documentElement.classList.add("js");

  var strings = JSON.parse(document.getElementById("est-strings").textContent);
  var areas = JSON.parse(document.getElementById("est-areas").textContent);
  var places = JSON.parse(document.getElementById("est-places").textContent);
  var eventsBox = document.getElementById("events");
  var template = document.getElementById("event-template");
  var statusBox = document.getElementById("report-status");
  var outboxBox = document.getElementById("outbox-status");
  var summary = document.getElementById("error-summary");
  var countInput = document.getElementById("event-count");
  var sendUrl = form.dataset.sendUrl;
  var municipality = form.dataset.municipality;
  var sending = false;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  // --- storage ---------------------------------------------------------------------------------

  function read(key, fallback) {
    try {
      var value = window.localStorage.getItem(key);
      return value ? JSON.parse(value) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); }
      else { window.localStorage.setItem(key, JSON.stringify(value)); }
    } catch (error) { /* private mode or full: the form still works while the page is open */ }
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function localNow() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()) +
      "T" + two(now.getHours()) + ":" + two(now.getMinutes());
  }

  var draft = read(DRAFT_KEY, null);
  if (!draft || draft.municipality !== municipality || !draft.client_key) {
    draft = { client_key: newKey(), municipality: municipality, events: [] };
  }

  // --- reading and writing the form ------------------------------------------------------------

  function blocks() { return Array.prototype.slice.call(eventsBox.querySelectorAll(":scope > .event")); }

  function field(block, name) { return block.querySelector("[name='" + block.dataset.prefix + "-" + name + "']"); }

  function checked(block, name) {
    var input = block.querySelector("input[name='" + block.dataset.prefix + "-" + name + "']:checked");
    return input ? input.value : "";
  }

  function readEvent(block) {
    return {
      category: checked(block, "category"),
      place: field(block, "place").value,
      latitude: field(block, "latitude").value,
      longitude: field(block, "longitude").value,
      occurred_at: field(block, "occurred_at").value,
      time_touched: block.dataset.timeTouched === "true",
      text: field(block, "text").value,
      severity: checked(block, "severity"),
      unsafety: checked(block, "unsafety")
    };
  }

  function setChoice(block, name, value) {
    block.querySelectorAll("input[name='" + block.dataset.prefix + "-" + name + "']").forEach(function (input) {
      input.checked = input.value === String(value || "");
    });
    syncToggles(block);
  }

  function writeEvent(block, event) {
    setChoice(block, "category", event.category);
    setChoice(block, "severity", event.severity);
    setChoice(block, "unsafety", event.unsafety);
    field(block, "place").value = event.place || "";
    field(block, "latitude").value = event.latitude || "";
    field(block, "longitude").value = event.longitude || "";
    field(block, "text").value = event.text || "";
    block.dataset.timeTouched = event.time_touched ? "true" : "false";
    field(block, "occurred_at").value = event.time_touched && event.occurred_at ? event.occurred_at : localNow();
    showPosition(block, false);
  }

  function saveDraft() {
    draft.events = blocks().map(readEvent);
    write(DRAFT_KEY, draft);
  }

  // --- one-tap choices: the radios become toggle buttons with aria-pressed ------------------------

  function syncToggles(block) {
    block.querySelectorAll("[data-toggle]").forEach(function (grid) {
      grid.querySelectorAll("button.toggle").forEach(function (button) {
        var input = document.getElementById(button.dataset.input);
        button.setAttribute("aria-pressed", input && input.checked ? "true" : "false");
      });
    });
  }

  function enhanceChoices(block) {
    block.querySelectorAll("[data-toggle]").forEach(function (grid) {
      var optional = grid.dataset.toggle === "optional";
      grid.querySelectorAll("label.choice").forEach(function (label) {
        var input = label.querySelector("input");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "toggle" + (label.classList.contains("choice--positive") ? " toggle--positive" : "");
        button.textContent = label.textContent.trim();
        button.dataset.input = input.id;
        button.dataset.value = input.value;
        button.setAttribute("aria-pressed", input.checked ? "true" : "false");
        button.addEventListener("click", function () {
          input.checked = optional && input.checked ? false : true;
          syncToggles(block);
          clearError(block, input.name.split("-").pop());
          saveDraft();
        });
        label.hidden = true;
        label.style.display = "none";
        grid.appendChild(button);
      });
    });
  }

  // --- the map -------------------------------------------------------------------------------

  function showPosition(block, announce) {
    var map = block.mapInstance;
    var lat = parseFloat(field(block, "latitude").value);
    var lon = parseFloat(field(block, "longitude").value);
    var placeSelect = field(block, "place");
    var status = block.querySelector("[data-position-status]");
    var placeMarker = null;
    if (map && block.marker) { map.removeLayer(block.marker); block.marker = null; }
    if (!isNaN(lat) && !isNaN(lon)) {
      if (map) { block.marker = L.circleMarker([lat, lon], { radius: 10, color: "#1b1f23", weight: 3, fillColor: "#ffbf47", fillOpacity: 1 }).addTo(map); }
      if (status) { status.textContent = strings.position_set; }
    } else if (placeSelect.value) {
      places.features.forEach(function (f) {
        if (String(f.id) === placeSelect.value) { placeMarker = f; }
      });
      if (placeMarker && map) {
        var c = placeMarker.geometry.coordinates;
        block.marker = L.circleMarker([c[1], c[0]], { radius: 10, color: "#1b1f23", weight: 3, fillColor: "#ffbf47", fillOpacity: 1 }).addTo(map);
      }
      var option = placeSelect.options[placeSelect.selectedIndex];
      if (status) { status.textContent = format(strings.place_set, { name: option ? option.text : "" }); }
    } else if (status) {
      status.textContent = "";
    }
  }

  function setPosition(block, lat, lon) {
    field(block, "latitude").value = lat.toFixed(6);
    field(block, "longitude").value = lon.toFixed(6);
    field(block, "place").value = "";
    clearError(block, "where");
    showPosition(block, true);
    saveDraft();
  }

  function initMap(block) {
    var element = block.querySelector("[data-map]");
    if (!element || typeof L === "undefined") { return; }
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: Boolean(form.dataset.tileUrl) });
    if (form.dataset.tileUrl) {
      L.tileLayer(form.dataset.tileUrl, { attribution: form.dataset.tileAttribution || "" }).addTo(map);
    }
    var layer = L.geoJSON(areas, {
      interactive: false,
      style: function () { return { color: "#0b4f6c", weight: 2, fillColor: "#ffffff", fillOpacity: 0.6 }; },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "area-name", interactive: false });
      }
    }).addTo(map);
    // Named places are drawn for orientation only: a tap near one is still the tapped position
    // (a browser snaps a finger's tap to a nearby clickable marker). A place is chosen in the list.
    L.geoJSON(places, {
      interactive: false,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#0b4f6c", weight: 2, fillColor: "#0b4f6c", fillOpacity: 0.8, interactive: false });
      }
    }).addTo(map);
    if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
    else { map.setView([62.0, 15.0], 4); }
    map.on("click", function (e) { setPosition(block, e.latlng.lat, e.latlng.lng); });
    block.mapInstance = map;
    element.dataset.ready = "true";
  }

  function enhanceBlock(block) {
    enhanceChoices(block);
    initMap(block);
    var locate = block.querySelector("[data-locate]");
    if (locate) {
      locate.addEventListener("click", function () {
        var status = block.querySelector("[data-position-status]");
        if (!navigator.geolocation) { status.textContent = strings.locate_failed; return; }
        status.textContent = strings.locating;
        navigator.geolocation.getCurrentPosition(function (position) {
          setPosition(block, position.coords.latitude, position.coords.longitude);
          if (block.mapInstance) { block.mapInstance.setView([position.coords.latitude, position.coords.longitude], 16); }
        }, function () { status.textContent = strings.locate_failed; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
    field(block, "place").addEventListener("change", function () {
      field(block, "latitude").value = "";
      field(block, "longitude").value = "";
      clearError(block, "where");
      showPosition(block, true);
      saveDraft();
    });
    field(block, "occurred_at").addEventListener("change", function () {
      block.dataset.timeTouched = "true";
      saveDraft();
    });
    field(block, "text").addEventListener("input", saveDraft);
    if (block.dataset.prefix !== "e0" && !block.querySelector(".event-remove")) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "event-remove";
      remove.textContent = strings.remove_event;
      remove.addEventListener("click", function () {
        block.remove();
        renumber();
        saveDraft();
        var last = blocks()[blocks().length - 1];
        if (last) { last.querySelector("legend").focus(); }
      });
      block.appendChild(remove);
    }
  }

  // --- several events --------------------------------------------------------------------------

  function renumber() {
    blocks().forEach(function (block, index) {
      var legend = block.querySelector("legend.event__title");
      legend.textContent = format(strings.event, { number: index + 1 });
    });
    countInput.value = String(blocks().length);
  }

  function addEvent() {
    var index = 0;
    blocks().forEach(function (block) {
      index = Math.max(index, parseInt(block.dataset.prefix.slice(1), 10) + 1);
    });
    var html = template.innerHTML.split("e__prefix__").join("e" + index).split("__number__").join(String(blocks().length + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var block = holder.firstElementChild;
    eventsBox.appendChild(block);
    field(block, "occurred_at").value = localNow();
    enhanceBlock(block);
    renumber();
    return block;
  }

  function setEventCount(count) {
    while (blocks().length < count) { addEvent(); }
    while (blocks().length > count) { blocks()[blocks().length - 1].remove(); }
    renumber();
  }

  // --- errors ----------------------------------------------------------------------------------

  var FIELD_OF = { latitude: "where", longitude: "where", area: "where", place: "where" };

  function clearError(block, name) {
    var box = document.getElementById(block.dataset.prefix + "-" + (FIELD_OF[name] || name) + "-error");
    if (box) { box.textContent = ""; box.hidden = true; }
  }

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach(function (box) { box.textContent = ""; box.hidden = true; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    summary.hidden = true;
    summary.querySelector("ul").innerHTML = "";
  }

  function showErrors(errors) {
    clearErrors();
    var list = summary.querySelector("ul");
    errors.forEach(function (error) {
      var parts = (error.field || "").split(".");
      var item = document.createElement("li");
      if (parts[0] === "events" && parts.length > 1) {
        var block = blocks()[parseInt(parts[1], 10)];
        var name = FIELD_OF[parts[2]] || parts[2] || "category";
        var target = block ? block.dataset.prefix + "-" + name : "";
        var box = target ? document.getElementById(target + "-error") : null;
        if (box) {
          box.textContent = (box.textContent ? box.textContent + " " : "") + error.message;
          box.hidden = false;
          var control = field(block, name === "where" ? "place" : name);
          if (control && control.tagName !== "INPUT") { control.setAttribute("aria-invalid", "true"); }
          var link = document.createElement("a");
          link.href = "#" + target;
          link.textContent = format(strings.event, { number: parseInt(parts[1], 10) + 1 }) + ": " + error.message;
          item.appendChild(link);
        } else {
          item.textContent = error.message;
        }
      } else {
        item.textContent = error.message;
      }
      list.appendChild(item);
    });
    summary.hidden = false;
    summary.focus();
  }

  function checkBeforeSending(events) {
    var errors = [];
    events.forEach(function (event, index) {
      if (!event.category) { errors.push({ field: "events." + index + ".category", message: strings.category_required }); }
      if (!event.place && !(event.latitude && event.longitude)) {
        errors.push({ field: "events." + index + ".place", message: strings.where_required });
      }
    });
    return errors;
  }

  // --- sending ---------------------------------------------------------------------------------

  function setStatus(state, message) {
    statusBox.dataset.state = state;
    statusBox.textContent = message;
  }

  function showOutbox() {
    var outbox = read(OUTBOX_KEY, []);
    outboxBox.hidden = outbox.length === 0;
    outboxBox.textContent = outbox.length ? format(strings.waiting, { count: outbox.length }) : "";
  }

  function payloadOf(current) {
    return {
      client_key: current.client_key,
      kommun: current.municipality,
      events: current.events.map(function (event) {
        return {
          category: event.category,
          place: event.place || null,
          latitude: event.latitude || null,
          longitude: event.longitude || null,
          occurred_at: event.time_touched ? event.occurred_at : localNow(),
          text: event.text,
          severity: event.severity || null,
          unsafety: event.unsafety || ""
        };
      })
    };
  }

  function csrfToken() {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function freshForm() {
    draft = { client_key: newKey(), municipality: municipality, events: [] };
    setEventCount(1);
    writeEvent(blocks()[0], { time_touched: false });
    saveDraft();
  }

  function restore(item) {
    draft = item.draft;
    setEventCount(Math.max(1, draft.events.length));
    blocks().forEach(function (block, index) { writeEvent(block, draft.events[index] || {}); });
    write(DRAFT_KEY, draft);
  }

  function flush() {
    if (sending) { return; }
    var outbox = read(OUTBOX_KEY, []);
    showOutbox();
    if (!outbox.length) { return; }
    var item = outbox[0];
    sending = true;
    setStatus("sending", strings.sending);
    fetch(sendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(item.payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        var rest = read(OUTBOX_KEY, []).filter(function (other) { return other.payload.client_key !== item.payload.client_key; });
        if (response.status === 200 || response.status === 201) {
          write(OUTBOX_KEY, rest);
          setStatus("sent", body.message || strings.sent);
          showOutbox();
          flush();
        } else if (response.status === 400) {
          write(OUTBOX_KEY, rest);
          showOutbox();
          restore(item);
          setStatus("refused", strings.refused);
          showErrors(body.errors || []);
        } else if (response.status === 401 || response.status === 403) {
          setStatus("queued", strings.login);
        } else {
          setStatus("queued", strings.queued);
        }
      });
    }).catch(function () {
      sending = false;
      setStatus("queued", strings.queued);
      showOutbox();
    });
  }

  form.addEventListener("submit", function (e) {
    var action = e.submitter ? e.submitter.value : "send";
    e.preventDefault();
    if (action === "add") {
      var block = addEvent();
      saveDraft();
      block.querySelector("legend").setAttribute("tabindex", "-1");
      block.querySelector("legend").focus();
      block.scrollIntoView();
      return;
    }
    saveDraft();
    var errors = checkBeforeSending(draft.events);
    if (errors.length) { showErrors(errors); return; }
    clearErrors();
    var outbox = read(OUTBOX_KEY, []);
    if (!outbox.some(function (item) { return item.payload.client_key === draft.client_key; })) {
      outbox.push({ payload: payloadOf(draft), draft: draft });
    }
    write(OUTBOX_KEY, outbox);
    freshForm();
    window.scrollTo(0, 0);
    flush();
  });

  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flush(); } });
  window.setInterval(function () { if (navigator.onLine !== false) { flush(); } }, RETRY_MS);

  // --- start -----------------------------------------------------------------------------------

  var serverHasErrors = summary && !summary.hidden;
  blocks().forEach(enhanceBlock);
  if (!serverHasErrors && draft.events.length) {
    setEventCount(draft.events.length);
    blocks().forEach(function (block, index) { writeEvent(block, draft.events[index]); });
  } else {
    blocks().forEach(function (block) {
      block.dataset.timeTouched = serverHasErrors ? "true" : "false";
      showPosition(block, false);
    });
    saveDraft();
  }
  renumber();
  showOutbox();
  flush();
  form.dataset.ready = "true";
})();
