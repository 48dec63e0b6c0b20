// Daymaker pages work without JavaScript; this only adds keyboard conveniences.
document.addEventListener("keydown", (event) => {
  // "/" jumps to the search box, as in most tools reps already know.
  if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    const box = document.getElementById("q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }
});
