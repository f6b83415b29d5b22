/* Obole button script. Paste on your page:
 *   <a class="obole-button" href="https://OBOLE/t/ID">Obole</a>
 *   <script async src="https://OBOLE/embed.js"></script>
 * It turns each such link into a styled button that opens the confirmation in a popup (a plain
 * top-level visit when popups are blocked), and refreshes badges when the reader comes back.
 * No dependency, no cookie, no iframe: the reader confirms on Obole's own page. */
(function () {
  "use strict";
  var STYLE_ID = "obole-button-style";
  function style() {
    if (document.getElementById(STYLE_ID)) return;
    var css = document.createElement("style");
    css.id = STYLE_ID;
    css.textContent =
      ".obole-button{display:inline-flex;align-items:center;gap:.4em;padding:.35em .8em;" +
      "border-radius:6px;background:#0b5cad;color:#fff!important;font:600 14px/1.2 system-ui,sans-serif;" +
      "text-decoration:none!important;border:0;cursor:pointer}" +
      ".obole-button:hover{background:#084a8c}.obole-button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
      ".obole-button img{display:block;height:20px}";
    document.head.appendChild(css);
  }
  function refreshBadges() {
    var images = document.querySelectorAll(".obole-button img, img[src*='/badge.svg']");
    for (var i = 0; i < images.length; i++) {
      var src = images[i].getAttribute("src") || "";
      if (src.indexOf("/badge.svg") === -1) continue;
      images[i].setAttribute("src", src.replace(/([?&])_=\d+/, "").replace(/[?&]$/, "") +
        (src.indexOf("?") === -1 ? "?" : "&") + "_=" + Date.now());
    }
  }
  function open(event) {
    var href = this.href;
    var popup = window.open(href, "obole", "width=520,height=680");
    if (!popup) return; // blocked: let the link navigate the page itself
    event.preventDefault();
  }
  function enhance() {
    style();
    var links = document.querySelectorAll("a.obole-button");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-obole") === "1") continue;
      links[i].setAttribute("data-obole", "1");
      links[i].setAttribute("rel", "noopener");
      links[i].addEventListener("click", open);
    }
  }
  window.addEventListener("focus", refreshBadges);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refreshBadges();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
