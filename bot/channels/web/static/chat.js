// The web chat: posts what the person does to /api/chat/<member>/…, polls for replies.
// Plain script, no framework, no build step. Every post carries a uuid made here: a post
// retried after a network error reuses it, and the engine handles the message once.
"use strict";

(function () {
  for (const id of ["member-select", "commune-select"]) {
    const picker = document.getElementById(id);
    if (picker) {
      picker.addEventListener("change", function () {
        if (picker.value) picker.form.submit();
      });
    }
  }

  const root = document.getElementById("chat");
  if (!root) return;

  const memberId = root.dataset.memberId;
  const words = root.dataset; // the page's Vietnamese labels live in the template
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const list = document.getElementById("messages");
  const toastBox = document.getElementById("toast");
  const emptyHint = document.getElementById("empty-hint");
  const textInput = document.getElementById("text-input");
  const base = "/api/chat/" + encodeURIComponent(memberId) + "/";
  const POLL_MS = 2000;
  let lastId = 0;
  let fetching = false;

  // crypto.randomUUID exists only on https or localhost; getRandomValues works everywhere.
  function uuid4() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // POST with retries on network errors and 5xx only (a 4xx will not get better).
  async function post(path, makeBody, json) {
    const id = uuid4();
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const headers = { "X-CSRF-Token": csrf };
        if (json) headers["Content-Type"] = "application/json";
        const res = await fetch(base + path, {
          method: "POST",
          headers: headers,
          body: makeBody(id),
          credentials: "same-origin",
        });
        if (res.status < 500) {
          const data = await res.json().catch(() => ({}));
          // The server says what went wrong in Vietnamese; a code is never shown to people.
          if (!res.ok) showToast("⚠️ " + (data.message || words.textRefused));
          else if (data.toast) showToast(data.toast);
          fetchMessages();
          return data;
        }
      } catch (err) {
        // offline for a moment: try again with the same uuid
      }
      await sleep(800 * (attempt + 1));
    }
    showToast(words.textOffline);
    return null;
  }

  function postJson(path, fields) {
    return post(path, (id) => JSON.stringify(Object.assign({ uuid: id }, fields)), true);
  }

  let toastTimer = null;
  function showToast(text) {
    toastBox.textContent = text;
    toastBox.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toastBox.hidden = true; }, 3500);
  }

  function scrollDown() {
    list.scrollTop = list.scrollHeight;
  }

  function bubble(cls) {
    if (emptyHint) emptyHint.remove();
    const div = document.createElement("div");
    div.className = "bubble " + cls;
    list.appendChild(div);
    return div;
  }

  function echo(text) {
    const div = bubble("me");
    div.textContent = text;
    scrollDown();
  }

  // The server sends only <b>, <i> and escaped text (see inbox.safe_html).
  function draw(m) {
    const old = m.replaces ? document.getElementById("m-" + m.replaces) : null;
    const div = document.createElement("div");
    div.className = "bubble bot" + (m.urgent ? " urgent" : "");
    div.id = "m-" + m.id;
    const text = document.createElement("div");
    text.className = "text";
    text.innerHTML = m.text;
    div.appendChild(text);
    if (m.photo) {
      const img = document.createElement("img");
      img.className = "sent-photo";
      img.src = m.photo;
      img.alt = text.textContent;
      img.loading = "lazy";
      img.addEventListener("load", scrollDown);
      div.appendChild(img);
    }
    if (m.document) {
      const link = document.createElement("a");
      link.className = "sent-file";
      link.href = m.document.url;
      link.setAttribute("download", m.document.name);
      link.textContent = words.textDownload + " " + m.document.name;
      div.appendChild(link);
    }
    if (m.choices.length) {
      const box = document.createElement("div");
      box.className = "choices cols-" + m.columns;
      m.choices.forEach((c) => {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.className = "choice";
        btn.textContent = c.label;
        btn.addEventListener("click", () => {
          echo(c.label);
          postJson("press", { data: c.data, message_id: m.id });
        });
        box.appendChild(btn);
      });
      div.appendChild(box);
    }
    if (m.request === "location") {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "choice request";
      btn.textContent = words.textLocation;
      btn.addEventListener("click", sendLocation);
      div.appendChild(btn);
    }
    if (old) {
      old.replaceWith(div);
    } else {
      if (emptyHint) emptyHint.remove();
      list.appendChild(div);
    }
  }

  async function fetchMessages() {
    if (fetching) return;
    fetching = true;
    try {
      const res = await fetch(base + "messages?after=" + lastId, { credentials: "same-origin" });
      if (res.ok) {
        const data = await res.json();
        data.messages.forEach((m) => {
          draw(m);
          lastId = Math.max(lastId, m.id);
        });
        if (data.messages.length) scrollDown();
      }
    } catch (err) {
      // the next poll tries again
    } finally {
      fetching = false;
    }
  }

  function sendText(text) {
    const value = text.trim();
    if (!value) return;
    echo(value);
    postJson("send", { text: value });
  }

  function locationFromPrompt() {
    const typed = window.prompt(words.textLocationPrompt);
    if (!typed) return;
    const parts = typed.split(/[,;\s]+/).filter(Boolean).map(Number);
    if (parts.length !== 2 || parts.some((x) => !isFinite(x))) {
      showToast(words.textBadLocation);
      return;
    }
    echo("📍 " + parts[0] + ", " + parts[1]);
    postJson("location", { lat: parts[0], lon: parts[1] });
  }

  // The phone's position where the browser allows it (https or localhost); else typed.
  function sendLocation() {
    if (!navigator.geolocation) {
      locationFromPrompt();
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const lat = pos.coords.latitude, lon = pos.coords.longitude;
        echo("📍 " + lat.toFixed(5) + ", " + lon.toFixed(5));
        postJson("location", { lat: lat, lon: lon });
      },
      locationFromPrompt,
      { enableHighAccuracy: true, timeout: 10000 }
    );
  }

  function sendPhoto(file) {
    echo("📷 " + file.name);
    post("photo", (id) => {
      const form = new FormData();
      form.append("uuid", id);
      form.append("photo", file);
      return form;
    }, false);
  }

  document.getElementById("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sendText(textInput.value);
    textInput.value = "";
    textInput.focus();
  });
  document.getElementById("send-location").addEventListener("click", sendLocation);
  document.getElementById("photo-input").addEventListener("change", (ev) => {
    const file = ev.target.files && ev.target.files[0];
    if (file) sendPhoto(file);
    ev.target.value = "";
  });
  document.querySelectorAll("[data-send]").forEach((btn) => {
    btn.addEventListener("click", () => sendText(btn.dataset.send));
  });

  fetchMessages();
  setInterval(fetchMessages, POLL_MS);
})();
