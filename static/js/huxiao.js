// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-nav-toggle]");
  if (!toggle) return;
  var nav = document.getElementById(toggle.getAttribute("aria-controls"));
  var open = nav.classList.toggle("open");
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
});

// A button that prints the page (the recovery codes): <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
