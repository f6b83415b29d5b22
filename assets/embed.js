/* Obole button script. The embed page gives the code to paste:
 *   <a class="obole-button" href="https://OBOLE/t/ID"><img src="https://OBOLE/t/ID/badge.svg"
 *      alt="Tip with Obole: …" height="28"></a>
 *   <script async src="https://OBOLE/embed.js"></script>
 * Without the script, that is the badge in a link to the thing's page, so it looks the same.
 * The script opens the confirmation in a popup instead (a plain top-level visit when popups
 * are blocked), adds hover and focus styles, and refreshes badges when the reader comes back.
 * Older code, a text link such as <a class="obole-button" …>Obole</a>, gets the button's
 * colours and coin. No dependency, no cookie, no iframe: the reader confirms on Obole's own
 * page. Obole's own pages carry these rules in /assets/button.css (data-obole-styles). */
(function () {
  "use strict";
  var STYLE_ID = "obole-button-style";
  function style() {
    if (document.getElementById(STYLE_ID) || document.querySelector("[data-obole-styles]")) return;
    var css = document.createElement("style");
    css.id = STYLE_ID;
    css.textContent =
      // A text link: the badge's look, drawn in CSS (coin: a gold disc with a white ring).
      ".obole-button{display:inline-flex;align-items:center;gap:6px;box-sizing:border-box;" +
      "height:28px;padding:0 10px 0 6px;border-radius:6px;background:#0b5cad;color:#fff!important;" +
      "font:700 12px/1 'DejaVu Sans',Verdana,Geneva,sans-serif;text-decoration:none!important;" +
      "vertical-align:middle;cursor:pointer}" +
      ".obole-button::before{content:'';flex:none;width:16px;height:16px;border-radius:50%;" +
      "background:#b8860b;box-shadow:inset 0 0 0 2px #b8860b,inset 0 0 0 4px #fff}" +
      ".obole-button:hover{background:#084a8c}" +
      // The badge in a link: the image is the button.
      ".obole-button.obole-badge{display:inline-block;height:auto;padding:0;background:none;line-height:0}" +
      ".obole-button.obole-badge::before{content:none}" +
      ".obole-button img{display:block;height:28px;width:auto;max-width:none;border:0}" +
      ".obole-badge:hover img{filter:brightness(1.1)}" +
      ".obole-button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}";
    document.head.appendChild(css);
  }
  function refreshBadges() {
    var images = document.querySelectorAll(".obole-button img, img[src*='/badge.svg']");
    for (var i = 0; i < images.length; i++) {
      var src = images[i].getAttribute("src") || "";
      if (src.indexOf("/badge.svg") === -1) continue;
      // The URL object keeps the other parameters (?lang=, ?theme=) and replaces only ours,
      // however often the reader comes back.
      var url = new URL(src, document.baseURI);
      url.searchParams.set("_", String(Date.now()));
      images[i].setAttribute("src", url.href);
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
      if (links[i].querySelector("img")) links[i].classList.add("obole-badge");
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
