// Daymaker pages work without JavaScript; this adds keyboard conveniences and the live desk.
document.addEventListener("keydown", (event) => {
  // "/" jumps to the search box, as in most tools reps already know.
  if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    const box = document.getElementById("q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }
});

// A new element with a class and text (the live pages build their parts with it).
const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

// Keeps a live page connected to its WebSocket (`data-socket` on `root`), reconnecting with growing pauses and
// marking `data-connected`; each message of the page's type is handed to `render` whole.
const liveSocket = (root, type, render) => {
  let pause = 500;
  const connect = () => {
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${root.dataset.socket}`);
    socket.onopen = () => { pause = 500; root.dataset.connected = "true"; };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === type) render(data);
    };
    socket.onclose = () => {
      root.dataset.connected = "false";
      setTimeout(connect, pause);
      pause = Math.min(pause * 2, 10000);
    };
  };
  connect();
};

// The live desk: presence and offered contacts pushed over a WebSocket. Every message is the whole desk, so a
// desk that reconnects (with growing pauses) shows exactly what is open, never an offer twice.
(() => {
  const live = document.getElementById("live");
  if (!live || !("WebSocket" in window)) return;
  const csrf = live.querySelector("input[name=_csrf]").value;
  const presence = document.getElementById("presence-state");
  const offers = document.getElementById("live-offers");

  const post = (path, fields, label, primary) => {
    const form = element("form");
    form.method = "post";
    form.action = path;
    for (const [name, value] of Object.entries({ _csrf: csrf, ...fields })) {
      const input = element("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    const button = element("button", primary ? "primary" : "", label);
    button.type = "submit";
    form.append(button);
    return form;
  };
  const action = (offer, verb, label, primary) => post(`/desk/offers/${offer.offer.id}/${verb}`, {}, label, primary);
  const current = document.getElementById("live-current");
  // A control with its name, value and limits, and a form of labelled controls that posts them with its button last.
  const control = (tag, name, { value = "", maxLength, rows, required = false } = {}) => {
    const node = element(tag);
    node.name = name;
    node.id = `desk-${name}`;
    node.value = value;
    if (maxLength) node.maxLength = maxLength;
    if (rows) node.rows = rows;
    node.required = required;
    return node;
  };
  const labelled = (path, fields, label, primary, className, controls) => {
    const form = post(path, fields, label, primary);
    form.className = `stack ${className}`;
    const button = form.querySelector("button");
    for (const [caption, node] of controls) {
      const text = element("label", "", caption);
      text.htmlFor = node.id;
      form.append(text, node);
    }
    form.append(button);
    return form;
  };
  // The contact the rep is on, then its wrap-up form; redrawn only when the contact or its state changes, so
  // what the rep is typing survives every other update.
  const renderCurrent = (contact) => {
    const key = contact ? `${contact.id}:${contact.needsWrapUp}` : "";
    if (current.dataset.key === key) return;
    current.dataset.key = key;
    if (!contact) { current.replaceChildren(); return; }
    const card = element("article", "current");
    card.append(element("h3", "", contact.customerName || contact.from));
    const state = contact.needsWrapUp ? "Ended — wrap it up" : "On the line";
    card.append(element("p", "muted", `${state} · ${contact.channel} · ${contact.from} · ${contact.program}`));
    if (contact.card) {
      const link = element("a", "", "Open the card");
      link.href = contact.card;
      card.append(link);
    }
    if (contact.needsWrapUp) {
      const resolution = control("select", "resolution", { required: true });
      for (const [value, label] of [["", "Choose…"], ["resolved", "Resolved"], ["follow-up", "Needs follow-up"], ["unresolved", "Unresolved"]]) {
        const option = element("option", "", label);
        option.value = value;
        resolution.append(option);
      }
      const wellbeing = control("select", "wellbeing", {});
      for (const [value, label] of [["", "It was fine"], ["heated", "Heated"], ["abusive", "Abusive"]]) {
        const option = element("option", "", label);
        option.value = value;
        wellbeing.append(option);
      }
      const wrapUp = labelled(`/desk/contacts/${contact.id}/wrap-up`, {}, "Done", true, "wrap-up", [
        ["Reason for the contact", control("input", "reason", { value: contact.reason || "", maxLength: 200 })],
        ["Summary", control("textarea", "summary", { value: contact.summary || "", maxLength: 5000, rows: 3 })],
        ["Resolution", resolution],
        ["Was it hard on you?", wellbeing],
      ]);
      // What the company could have done differently: counted in insights' root causes.
      const causes = element("fieldset", "root-causes");
      causes.append(element("legend", "", "Could we have done anything differently?"));
      for (const cause of contact.rootCauseChoices) {
        const box = element("input");
        box.type = "checkbox";
        box.name = "rootCauses[]";
        box.value = cause;
        box.checked = contact.rootCauses.includes(cause);
        const label = element("label");
        label.append(box, ` ${cause}`);
        causes.append(label);
      }
      wrapUp.insertBefore(causes, wrapUp.querySelector("button"));
      card.append(wrapUp);
    }
    const asked = contact.askedFor;
    // They asked for someone else who is at work: hand the contact over with a word of context.
    if (asked && !contact.needsWrapUp && !["away", "offline"].includes(asked.presence)) {
      card.append(labelled(`/desk/contacts/${contact.id}/transfer`, { repId: asked.repId },
        `Transfer to ${asked.name}`, true, "transfer-form",
        [[`What should ${asked.name} know?`, control("textarea", "note", { maxLength: 1000, rows: 2 })]]));
    }
    // They asked for someone else: a message lands on that rep's desk at once.
    if (asked) {
      card.append(element("p", "asked-for", asked.text), labelled("/desk/messages",
        { contactId: contact.id, repId: asked.repId }, `Leave ${asked.name} a message`, false, "message-form",
        [[`Message for ${asked.name}`, control("textarea", "text", { maxLength: 2000, rows: 2, required: true })]]));
    }
    current.replaceChildren(card);
  };
  const messages = document.getElementById("live-messages");
  const renderMessages = (list) => {
    messages.replaceChildren(...list.map((message) => {
      const card = element("article", message.kind === "thanks" ? "thanks" : "message");
      card.id = `${message.kind}-${message.id}`;
      card.dataset.kind = message.kind;
      card.append(element("h3", "", message.heading));
      card.append(element("p", "", message.text));
      const row = element("div", "row");
      if (message.card) {
        const link = element("a", "", "Open the card");
        link.href = message.card;
        row.append(link);
      }
      row.append(post(message.read, {}, "Mark read", false));
      card.append(row);
      return card;
    }));
  };
  const render = (desk) => {
    presence.textContent = desk.presence.state;
    presence.dataset.state = desk.presence.state;
    renderCurrent(desk.current);
    renderMessages(desk.messages || []);
    offers.replaceChildren(...desk.offers.map((offer) => {
      const card = element("article", "offer");
      card.id = `offer-${offer.offer.id}`;
      card.append(element("h3", "", offer.customerName || offer.from));
      card.append(element("p", "why", offer.why));
      card.append(element("p", "muted", `${offer.channel} · ${offer.from} · ${offer.program}`));
      // Whom they asked for comes first when it is someone else, with what can be done about it.
      if (offer.askedFor) {
        card.prepend(element("p", "asked-for", offer.askedFor.text));
      } else if (offer.requestedRep) {
        card.append(element("p", "", `Asked for ${offer.requestedRep}`));
      }
      if (offer.offer.note) card.append(element("p", "note", `“${offer.offer.note}”`));
      if (offer.routingNote) card.append(element("p", "muted", offer.routingNote));
      const row = element("div", "row");
      row.append(action(offer, "accept", "Accept", true), action(offer, "decline", "Decline", false));
      if (offer.askedFor) {
        row.append(post("/desk/callbacks", {
          program: offer.program, contactId: offer.offer.contactId, repId: offer.askedFor.repId,
        }, `Book a callback from ${offer.askedFor.name}`, false));
      }
      card.append(row);
      return card;
    }));
    // Keyboard first: an offer takes the focus unless the rep is typing.
    const active = document.activeElement;
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName) && active.value !== "";
    const accept = offers.querySelector("button.primary");
    if (accept && !typing) accept.focus();
  };
  liveSocket(live, "desk", render);
})();

// Live queues: the supervisor's boards pushed over a WebSocket, whole each time; waits and times in state tick here,
// counted on the server's clock.
(() => {
  const root = document.getElementById("boards");
  if (!root || !("WebSocket" in window)) return;
  let offset = Date.parse(root.dataset.now) - Date.now();
  const elapsed = (since) => {
    const seconds = Math.max(0, Math.floor((Date.now() + offset - Date.parse(since)) / 1000));
    const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
    const two = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
  };
  const clock = (node, since) => {
    if (since) { node.dataset.since = since; node.textContent = elapsed(since); } else { node.textContent = "—"; }
    return node;
  };
  const figure = (label, className, value) => {
    const item = element("div");
    item.append(element("dt", "", label), typeof value === "object" ? value : element("dd", className, String(value)));
    return item;
  };
  const render = (boards) => {
    root.replaceChildren(...boards.map((board) => {
      const section = element("section", "card board");
      section.id = `board-${board.program}`;
      const heading = element("h2", "", `${board.programName} `);
      heading.append(element("span", "muted", board.program));
      const figures = element("dl", "figures");
      const level = board.today.serviceLevel === null ? "—" : `${board.today.serviceLevel} %`;
      figures.append(
        figure("Waiting", "waiting", board.waiting),
        figure("Longest wait", "", clock(element("dd", "longest"), board.longestWaitingSince)),
        figure("Service level today", "service-level", level),
        figure("Answered today", "answered", board.today.answered),
        figure("Abandoned today", "abandoned", board.today.abandoned));
      const note = element("p", "muted",
        `Service level: answered within ${board.today.targetAnswerSeconds} seconds, of answered and abandoned.`);
      const table = element("table", "reps");
      const head = element("tr");
      for (const title of ["Rep", "Presence", "Time in state", "On"]) {
        const th = element("th", "", title);
        th.scope = "col";
        head.append(th);
      }
      table.append(element("thead"), element("tbody"));
      table.tHead.append(head);
      for (const rep of board.reps) {
        const row = element("tr");
        const tag = element("span", "tag", rep.presence);
        tag.dataset.state = rep.presence;
        const state = element("td");
        state.append(tag);
        const on = rep.contact ? `${rep.contact.customerName || "Unknown caller"} · ${rep.contact.channel}` : "";
        const name = element("td");
        const wall = element("a", "", rep.displayName);
        wall.href = `/reps/${rep.userId}`;
        name.append(wall);
        row.append(name, state, clock(element("td", "elapsed"), rep.since), element("td", "", on));
        table.tBodies[0].append(row);
      }
      section.append(heading, figures, note, table);
      if (board.hardContacts && board.hardContacts.length) {
        const hard = element("section", "hard-contacts");
        hard.setAttribute("aria-label", "Hard contacts today");
        hard.append(element("h3", "", "Hard contacts today"));
        const list = element("ul");
        for (const contact of board.hardContacts) {
          const item = element("li");
          item.append(element("strong", "", contact.rep || ""));
          item.append(document.createTextNode(`: ${contact.flag} contact with ${contact.customerName || "a caller"}, ${elapsed(contact.at)} ago`));
          list.append(item);
        }
        hard.append(list);
        section.append(hard);
      }
      if (board.alerts && board.alerts.length) {
        const alerts = element("section", "alerts");
        alerts.setAttribute("aria-label", "Survey alerts");
        alerts.append(element("h3", "", "Survey alerts"));
        for (const alert of board.alerts) {
          const item = element("article", "alert");
          item.id = `alert-${alert.surveyId}`;
          const line = element("p");
          line.append(element("strong", "", `Scored ${alert.score} of 5`));
          const who = (alert.rep ? ` for ${alert.rep}` : "") + (alert.customerName ? ` by ${alert.customerName}` : "");
          line.append(document.createTextNode(who + (alert.better ? ` — “${alert.better}”` : "")));
          const form = element("form", "inline");
          form.method = "post";
          form.action = `/supervisor/surveys/${alert.surveyId}/callback`;
          const token = element("input");
          token.type = "hidden";
          token.name = "_csrf";
          token.value = root.dataset.csrf;
          const button = element("button", "primary", "Call back");
          button.type = "submit";
          form.append(token, button);
          item.append(line, form);
          alerts.append(item);
        }
        section.append(alerts);
      }
      return section;
    }));
  };
  setInterval(() => {
    for (const node of root.querySelectorAll("[data-since]")) node.textContent = elapsed(node.dataset.since);
  }, 1000);
  liveSocket(root, "boards", (data) => {
    offset = Date.parse(data.now) - Date.now();
    render(data.boards);
  });
})();

// A campaign's progress pushed over a WebSocket whenever a call is taken or recorded.
(() => {
  const root = document.getElementById("progress");
  if (!root || !root.dataset.socket || !("WebSocket" in window)) return;
  const render = (data) => {
    for (const node of root.querySelectorAll("[data-progress]")) {
      const key = node.dataset.progress;
      node.textContent = key === "eta" ? (data.eta || "—") : String(data.progress[key]);
    }
    const callers = document.getElementById("callers");
    callers.replaceChildren(...data.progress.callers.map((caller) => {
      const row = element("tr");
      row.append(element("td", "", caller.name), element("td", "", String(caller.calls)), element("td", "", String(caller.reached)));
      return row;
    }));
  };
  liveSocket(root, "progress", render);
})();
