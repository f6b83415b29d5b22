// The header's menu is a <details> element, so it opens and closes without JavaScript.
// This only adds what people expect of a menu: Escape and a click elsewhere close it.
(function () {
  "use strict";
  var menu = document.getElementById("menu");
  if (!menu) return;
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
