// The console page's own script: shells in tabs (xterm.js over a WebSocket to
// /terminal/<machine>) and the followed log (an EventSource). htmx does the rest.
(function () {
  "use strict";
  const shells = new Map();   // tab id -> {name, term, fit, socket, tab, pane}
  let opened = 0;
  const encoder = new TextEncoder();

  function activate(id) {
    for (const [key, shell] of shells) {
      const on = key === id;
      shell.tab.setAttribute("aria-selected", on);
      shell.pane.hidden = !on;
      if (on) {
        shell.fit.fit();      // a hidden pane has no size: fitted when shown
        shell.term.focus();
      }
    }
  }

  function close(id) {
    const shell = shells.get(id);
    if (!shell) return;
    shell.socket.close();
    shell.term.dispose();
    shell.tab.remove();
    shell.pane.remove();
    shells.delete(id);
    const last = [...shells.keys()].pop();
    if (last) activate(last);
    else document.querySelector("#term-panes .empty").hidden = false;
  }

  // Copy and paste as in a desktop terminal: Ctrl+Shift+C copies the selection
  // (Ctrl+C stays the shell's interrupt), Ctrl+Shift+V lets the browser paste.
  function keys(term) {
    return (event) => {
      if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === "KeyC") {
        event.preventDefault();
        if (term.hasSelection()) navigator.clipboard.writeText(term.getSelection());
        return false;
      }
      if (event.code === "KeyV") return false;   // the paste event follows, xterm.js takes it
      return true;
    };
  }

  function openShell(name) {
    const id = `shell-${++opened}`;
    document.querySelector("#term-panes .empty").hidden = true;
    const tab = document.createElement("div");
    tab.className = "tab";
    tab.setAttribute("role", "tab");
    tab.dataset.tab = id;
    const label = document.createElement("button");
    label.type = "button";
    label.className = "tab-label";
    label.textContent = name;
    label.addEventListener("click", () => activate(id));
    const cross = document.createElement("button");
    cross.type = "button";
    cross.className = "tab-close";
    cross.title = `close the shell on ${name}`;
    cross.textContent = "×";
    cross.addEventListener("click", () => close(id));
    tab.append(label, cross);
    document.getElementById("term-tabs").append(tab);

    const pane = document.createElement("div");
    pane.className = "pane";
    pane.id = id;
    pane.dataset.machine = name;
    document.getElementById("term-panes").append(pane);

    const term = new Terminal({cursorBlink: true, fontSize: 14, scrollback: 5000,
                               fontFamily: "'DejaVu Sans Mono', Menlo, Consolas, monospace"});
    const fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(pane);
    term.attachCustomKeyEventHandler(keys(term));
    const socket = new WebSocket(`ws://${location.host}/terminal/${encodeURIComponent(name)}`
                                 + `?cols=${term.cols}&rows=${term.rows}`);
    socket.binaryType = "arraybuffer";
    const shell = {name, term, fit, socket, tab, pane};
    shells.set(id, shell);
    activate(id);

    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        term.write(new Uint8Array(event.data));
        return;
      }
      const order = JSON.parse(event.data);
      if ("exit" in order) {
        term.write(`\r\n\x1b[2m[the shell on ${name} ended${order.exit ? ": status " + order.exit : ""}]\x1b[0m\r\n`);
        tab.classList.add("ended");
      }
    });
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({resize: [term.cols, term.rows]}));
    });
    socket.addEventListener("close", (event) => {
      if (!tab.classList.contains("ended")) {
        term.write(`\r\n\x1b[2m[connection closed${event.reason ? ": " + event.reason : ""}]\x1b[0m\r\n`);
        tab.classList.add("ended");
      }
    });
    term.onData((data) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
    });
    term.onResize(({cols, rows}) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({resize: [cols, rows]}));
    });
    return id;
  }

  // The shown terminal follows the window's size.
  new ResizeObserver(() => {
    for (const shell of shells.values()) if (!shell.pane.hidden) shell.fit.fit();
  }).observe(document.getElementById("term-panes"));

  // "Shell" buttons, also those of the machine cards htmx swaps in.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-shell]");
    if (button && button.tagName === "BUTTON") {
      openShell(button.dataset.shell);
      document.getElementById("terminal-title").scrollIntoView({block: "nearest"});
    }
  });

  // --- the followed log ---------------------------------------------------------------
  const form = document.getElementById("log-form");
  const view = document.getElementById("log-view");
  const said = document.getElementById("log-state");
  const MAX_LINES = 2000;
  let source = null;

  function stop(why) {
    if (source) source.close();
    source = null;
    said.textContent = why || "";
  }

  function append(line) {
    const atEnd = view.scrollTop + view.clientHeight >= view.scrollHeight - 4;
    view.append(line + "\n");
    while (view.childNodes.length > MAX_LINES) view.firstChild.remove();
    if (atEnd) view.scrollTop = view.scrollHeight;
  }

  function syncUnit() {
    form.elements.unit.disabled = form.elements.source.value !== "journal";
  }
  form.elements.source.addEventListener("change", syncUnit);
  syncUnit();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    stop();
    view.textContent = "";
    const query = new URLSearchParams(new FormData(form));
    source = new EventSource(`/logs/stream?${query}`);
    const what = form.elements.source.selectedOptions[0].textContent;
    said.textContent = `following ${what} on ${form.elements.machine.value}`;
    source.addEventListener("line", (e) => append(e.data));
    source.addEventListener("end", (e) => { append(e.data); stop("stopped"); });
    source.addEventListener("error", () => {
      if (source && source.readyState === EventSource.CLOSED) stop("could not follow it (is the machine up?)");
      else said.textContent = "reconnecting…";
    });
  });
  document.getElementById("log-stop").addEventListener("click", () => stop("stopped"));

  window.hbnbConsole = {openShell, shells};   // for the browser tests
})();

// An action that failed says so in the page (htmx swaps nothing on an error).
document.body.addEventListener("htmx:responseError", (event) => {
  const notice = document.getElementById("notice");
  if (!notice) return;
  const answer = event.detail.xhr;
  const page = new DOMParser().parseFromString(answer.responseText || "", "text/html");
  const why = (page.querySelector(".why") || {}).textContent;
  notice.textContent = `${event.detail.requestConfig.verb.toUpperCase()} ${event.detail.pathInfo.requestPath}: `
    + `${answer.status}${why ? " " + why : ""}`;
  notice.hidden = false;
});
document.body.addEventListener("htmx:sendError", () => {
  const notice = document.getElementById("notice");
  if (notice) { notice.textContent = "the console does not answer: is `make console` still running?"; notice.hidden = false; }
});
