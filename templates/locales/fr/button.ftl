# Le bouton Obole : les mots du badge, le texte de son image, les aperçus de la page d’intégration.
button-label = Soutenir avec Obole
button-alt = Soutenir avec Obole : { $title }
button-badge-name = Soutenir avec Obole : { $title }, { $count ->
    [one] { $count } soutien
   *[other] { $count } soutiens
} ce mois-ci
button-theme-choice = Code pour
button-theme-light = une page claire
button-theme-dark = une page sombre
button-preview-light = Sur une page claire
button-preview-dark = Sur une page sombre
button-preview = Aperçu
button-script-same = Sans JavaScript, c’est le même badge, et le lien fonctionne toujours.
button-link-note = Dans un texte qui accepte les liens, il s’affiche ainsi :
button-copied = Copié ✓
