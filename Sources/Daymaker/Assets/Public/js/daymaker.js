// Daymaker pages work without JavaScript; this adds keyboard conveniences and the live desk.
document.addEventListener("keydown", (event) => {
  // "/" jumps to the search box, as in most tools reps already know.
  if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    const box = document.getElementById("q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }
});

// The live desk: presence and offered contacts pushed over a WebSocket. Every message is the whole desk, so a
// desk that reconnects (with growing pauses) shows exactly what is open, never an offer twice.
(() => {
  const live = document.getElementById("live");
  if (!live || !("WebSocket" in window)) return;
  const csrf = live.querySelector("input[name=_csrf]").value;
  const presence = document.getElementById("presence-state");
  const offers = document.getElementById("live-offers");
  let pause = 500;

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
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
  const render = (desk) => {
    presence.textContent = desk.presence.state;
    presence.dataset.state = desk.presence.state;
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
  const connect = () => {
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${live.dataset.socket}`);
    socket.onopen = () => { pause = 500; live.dataset.connected = "true"; };
    socket.onmessage = (message) => {
      const desk = JSON.parse(message.data);
      if (desk.type === "desk") render(desk);
    };
    socket.onclose = () => {
      live.dataset.connected = "false";
      setTimeout(connect, pause);
      pause = Math.min(pause * 2, 10000);
    };
  };
  connect();
})();
