# The Obole button: the badge's words, its image's text, the embed page's previews.
button-label = Tip with Obole
button-alt = Tip with Obole: { $title }
button-badge-name = Tip with Obole: { $title }, { $count ->
    [one] { $count } tip
   *[other] { $count } tips
} this month
button-theme-choice = Code for
button-theme-light = a light page
button-theme-dark = a dark page
button-preview-light = On a light page
button-preview-dark = On a dark page
button-preview = Preview
button-script-same = Without JavaScript it is the same badge, and the link still works.
button-link-note = In text that takes links, it reads:
button-copied = Copied ✓
