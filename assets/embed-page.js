// Copy buttons (embed page, sites page): hidden without JavaScript, where the code can be
// selected by hand. A button that copied says so on itself for a few seconds (the status
// region's data-done, or its data-text), and the status region tells screen readers.
(function () {
  "use strict";
  var SHOWN_FOR = 3000;
  var status = document.getElementById("copied");
  var said = status ? status.getAttribute("data-text") : "";
  var shown = status ? status.getAttribute("data-done") || said : "";
  function copied(button) {
    if (!button.hasAttribute("data-copy-label")) {
      button.setAttribute("data-copy-label", button.textContent);
    }
    button.textContent = shown;
    button.classList.add("copied");
    clearTimeout(button.oboleTimer);
    button.oboleTimer = setTimeout(function () {
      button.textContent = button.getAttribute("data-copy-label");
      button.classList.remove("copied");
    }, SHOWN_FOR);
    if (status) {
      // Emptied first, so that a second copy is announced again.
      status.textContent = "";
      setTimeout(function () { status.textContent = said; }, 50);
    }
  }
  var buttons = document.querySelectorAll("button.copy");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      var button = this;
      var source = document.getElementById(button.getAttribute("data-copy"));
      source.select();
      var done = function () { copied(button); };
      // The older way copies the selection, where the clipboard API is missing or refused.
      var fallback = function () { if (document.execCommand("copy")) done(); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }
})();
