## Obole — français. Chaque message doit aussi exister dans ../en/main.ftl (un test le vérifie).

language-name = Français
site-tagline = Le pourboire mensuel partagé pour le web que vous aimez

## Navigation et mise en page
nav-label = Navigation principale
nav-skip = Aller au contenu
nav-home = Accueil
nav-signup = Créer un compte
nav-login = Se connecter
nav-logout = Se déconnecter
nav-dashboard = Mon compte
nav-language = Langue
footer-about = Obole est une plateforme de pourboires mensuels partagés, dans l’esprit du Flattr d’origine.

## Page d’accueil
home-title = Donnez un peu, chaque mois, à ce qui compte pour vous
home-lead = Obole vous permet de soutenir les auteurs, podcasteurs, développeurs et artistes dont vous aimez le travail, sans vous abonner à chacun d’eux. Vous fixez un budget mensuel ; vos clics décident où il va.
home-how-title = Comment ça marche
home-step-fund = Approvisionnez votre porte-monnaie avec un bon ou une carte.
home-step-budget = Choisissez un budget mensuel, à partir de { $minimum }.
home-step-click = Cliquez sur le bouton Obole des pages que vous appréciez. Chaque clic vaut une part de votre mois.
home-step-settle = À la fin du mois, votre budget est partagé à parts égales entre tout ce que vous avez cliqué, au centime près, et les créateurs sont payés.
home-example-title = Un exemple
home-example = Avec un budget de { $budget } et 4 clics ce mois-ci, chaque créateur reçoit { $quarter }. Avec 8 clics, { $eighth } chacun. Vous ne payez jamais plus que votre budget, et rien pour un mois sans clic.
home-readers-title = Pour les lecteurs
home-readers-text = Vous savez toujours où va votre argent : chaque clic est listé, peut être annulé jusqu’à la clôture du mois et affiche ce qu’il vaut.
home-creators-title = Pour les créateurs
home-creators-text = Ajoutez vos pages, collez un bouton ou un lien, et voyez ce que chaque mois vous a rapporté, page par page, avec des relevés pour votre comptable.
home-cta-signup = Créer un compte
home-cta-login = J’ai déjà un compte

## Inscription et connexion
field-email = Adresse e-mail
field-password = Mot de passe
field-password-hint = Au moins { $min } caractères.
field-display-name = Nom public
field-display-name-hint = Facultatif. Affiché à côté de ce que vous publiez ; par défaut, le début de votre adresse e-mail.
signup-title = Créez votre compte
signup-intro = Un seul compte pour donner et recevoir des pourboires.
signup-submit = Créer mon compte
signup-have-account = Déjà inscrit ?
login-title = Connexion
login-submit = Se connecter
login-failed = L’adresse e-mail ou le mot de passe est incorrect.
login-no-account = Pas encore de compte ?
form-error-summary = Veuillez corriger le champ signalé.

## Tableau de bord
dashboard-title = Mon compte
dashboard-welcome = Bienvenue, { $name } !
dashboard-funds = Fonds
dashboard-revenue = Revenus
dashboard-email = Adresse e-mail
dashboard-security = Sécurité
dashboard-logout-everywhere = Se déconnecter de tous les appareils
dashboard-logout-everywhere-hint = Téléphone perdu, ou connexion depuis un ordinateur partagé ? Ceci ferme toutes les sessions de votre compte, y compris celle-ci, et révoque ses jetons d’API.
dashboard-soon = L’approvisionnement du porte-monnaie, le choix d’un budget et l’ajout de vos pages arrivent bientôt.

## Fonds
nav-funds = Fonds
nav-budget = Budget
nav-operator = Opérateur
funds-title = Mon porte-monnaie
funds-available = Fonds disponibles
funds-reserved = Réservé ce mois-ci
funds-budget = Budget mensuel
funds-no-budget = Pas encore choisi
funds-change-budget = Choisir ou modifier
funds-explain = Vos fonds ne servent qu’à votre budget mensuel, que votre premier clic du mois réserve. Ils ne peuvent pas être retirés.
funds-redeem-title = Utiliser un bon
funds-code = Code du bon
funds-redeem-submit = Ajouter à mes fonds
funds-redeemed = Bon utilisé : { $amount } ajoutés à vos fonds.
funds-movements = Mouvements
funds-no-movements = Aucun mouvement pour l’instant. Utilisez un bon pour approvisionner votre porte-monnaie.
funds-truncated = Voici les { $count } derniers mouvements ; le fichier CSV les contient tous.
funds-csv = Télécharger tous les mouvements (CSV)
movement-voucher_redemption = Bon utilisé
movement-voucher_issue = Bons émis
movement-budget_reservation = Budget du mois réservé
movement-settlement = Mois réglé : budget versé aux créateurs
movement-settlement_credit = Mois réglé : revenus crédités, commission de la plateforme déduite
movement-reservation_release = Réservation libérée
movement-other = Autre mouvement
csv-date = Date
csv-movement = Mouvement
csv-amount = Montant
csv-balance = Solde

## Budget
budget-title = Mon budget mensuel
budget-current = Votre budget : { $amount } par mois.
budget-none = Vous n’avez pas encore choisi de budget.
budget-explain = Votre budget est partagé à parts égales entre tout ce que vous cliquez dans le mois. Le budget d’un mois est fixé par son premier clic ; une modification faite ensuite s’applique à partir du mois suivant. Un mois sans clic ne vous coûte rien.
budget-amount = Montant par mois
budget-bounds = De { $minimum } à { $maximum }, en centimes entiers.
budget-pause = Mettre mon budget en pause (ni clic, ni prélèvement, jusqu’à la reprise)
budget-submit = Enregistrer mon budget
budget-saved = Votre budget est enregistré.
budget-paused-tag = en pause

## Opérateur
operator-vouchers-title = Bons
operator-issue-title = Émettre des bons
operator-amount = Valeur de chaque bon
operator-count = Nombre de bons
operator-issue-submit = Émettre
operator-codes-title = { $count ->
    [one] Un nouveau bon
   *[other] { $count } nouveaux bons
}
operator-codes-once = Copiez ces codes maintenant : ils sont conservés sous forme chiffrée et ne seront plus affichés.
operator-batches = Lots
operator-no-batches = Aucun bon émis pour l’instant.
operator-redeemed = Utilisés
operator-settlements-title = Règlements mensuels
operator-settlements-how = Chaque mois terminé est réglé une fois par la commande obole settle --month AAAA-MM : le budget de chaque lecteur est réparti entre ses clics et versé aux créateurs, commission de la plateforme déduite.
operator-no-settlements = Aucun mois n’a encore été réglé.
settlement-month = Mois
settlement-state = État
settlement-state-running = En cours
settlement-state-done = Réglé
settlement-state-failed = Échec
settlement-readers = Lecteurs
settlement-clicks = Clics
settlement-debited = Budgets prélevés
settlement-fees = Commissions
settlement-started = Commencé
settlement-finished = Terminé
settlement-error = Raison
nav-settlements = Règlements

## Contenus et clics
nav-clicks = Mes clics
nav-things = Mes contenus
things-title = Mes contenus
things-add = Ajouter un contenu
things-none = Vous n’avez encore rien ajouté. Ajoutez une de vos pages pour obtenir son bouton Obole.
things-clicks-month = Clics ce mois-ci
things-actions = Actions
things-embed = Bouton et code à intégrer
things-edit = Modifier
things-edit-title = Modifier ce contenu
things-save = Enregistrer
things-hidden-tag = masqué
thing-field-url = Adresse de la page
thing-field-url-hint = Son adresse canonique : les paramètres de suivi et la barre oblique finale sont retirés, pour qu’une page soit un seul contenu.
thing-field-title = Titre
thing-field-description = Description
thing-field-category = Catégorie
thing-field-language = Langue du contenu
thing-field-hidden = Masquer ce contenu (il disparaît des listes et ne peut plus être soutenu)
thing-by = par { $name }
thing-clicks = { $count ->
    [one] un soutien ce mois-ci
   *[other] { $count } soutiens ce mois-ci
}
thing-tip-title = Soutenir
thing-log-in-to-tip = Connectez-vous pour soutenir ceci avec votre budget mensuel.
thing-own = C’est à vous : les lecteurs le soutiennent ici. Partagez son bouton pour être soutenu.
thing-insufficient = Vos fonds ({ $funds }) sont inférieurs à votre budget mensuel ({ $budget }). Le premier clic du mois met ce budget de côté : ajoutez d’abord des fonds.
thing-clicked = Vous avez soutenu ceci ce mois-ci. Chacun de vos clics vaut { $value } ce mois-ci.
thing-first-click = C’est votre premier clic du mois : il met votre budget de { $value } de côté, et ce contenu le reçoit en entier si vous ne cliquez rien d’autre.
thing-worth = Avec ce clic, chacun de vos clics du mois vaudra { $value }.
thing-rounded = (arrondi ; le partage final se fait au millionième près)
thing-confirm = Confirmer mon soutien
thing-undo = Annuler
thing-thanks = Merci ! Votre soutien est enregistré ; vous pouvez l’annuler jusqu’à la fin du mois.
thing-close = Fermer cette fenêtre
embed-title = Bouton et code à intégrer
embed-intro = Collez l’un de ces codes sur la page « { $title } ».
embed-open-page = Ouvrir sa page Obole
embed-badge-title = Badge (fonctionne partout, sans JavaScript)
embed-badge-text = Un lien avec une petite image montrant les soutiens du mois.
embed-script-title = Bouton avec script
embed-script-text = Un bouton stylé qui ouvre la confirmation dans une petite fenêtre.
embed-link-title = Lien simple
embed-link-text = Pour les endroits qui n’acceptent ni images ni scripts : lettres d’information, flux, texte.
embed-code = Code
embed-copy = Copier
embed-copied = Copié.
clicks-title = Mes clics
clicks-budget = Budget du mois
clicks-not-reserved = mis de côté à votre premier clic
clicks-count = Clics
clicks-value = Un clic vaut
clicks-exact = exactement { $exact }
clicks-explain = Votre budget est partagé à parts égales entre les clics du mois ; vous pouvez annuler un clic jusqu’à la fin du mois.
clicks-none = Aucun clic ce mois-là.
clicks-other-months = Autres mois
clicks-this-month = Ce mois-ci
category-writing = Écriture
category-journalism = Journalisme
category-podcast = Podcast
category-video = Vidéo
category-music = Musique
category-software = Logiciel
category-art = Art
category-photography = Photographie
category-education = Éducation
category-science = Sciences
category-games = Jeux
category-other = Autre
content-language-fr = Français
content-language-en = Anglais
content-language-de = Allemand
content-language-es = Espagnol
content-language-it = Italien
content-language-pt = Portugais
content-language-nl = Néerlandais
content-language-mul = Plusieurs langues
content-language-other = Autre langue

## Pages d’erreur
error-title-400 = Requête incorrecte
error-title-401 = Veuillez vous connecter
error-title-403 = Action refusée
error-title-404 = Page introuvable
error-title-405 = Action refusée
error-title-409 = Conflit
error-title-413 = Trop volumineux
error-title-422 = Vérifiez votre saisie
error-title-429 = Trop de tentatives
error-title-500 = Une erreur s’est produite
error-title-503 = Momentanément indisponible
error-back-home = Retour à l’accueil

## Messages d’erreur, un par code d’erreur de l’API (error-<code>)
error-bad_request = La requête n’a pas pu être comprise.
error-invalid_json = Le corps de la requête n’est pas du JSON valide.
error-invalid_form = Le formulaire n’a pas pu être lu. Veuillez réessayer.
error-invalid_email = Veuillez saisir une adresse e-mail valide, par exemple ana@exemple.fr.
error-invalid_password = Le mot de passe doit comporter au moins 10 caractères.
error-invalid_display_name = Le nom public doit comporter entre 1 et 80 caractères.
error-invalid_locale = La langue doit être l’anglais (en) ou le français (fr).
error-email_taken = Un compte existe déjà avec cette adresse e-mail.
error-invalid_credentials = L’adresse e-mail ou le mot de passe est incorrect.
error-unauthorized = Veuillez vous connecter pour continuer.
error-csrf_failed = Ce formulaire a expiré ou ne provient pas d’Obole. Veuillez recharger la page et réessayer.
error-not_found = Nous n’avons pas trouvé cette page.
error-method_not_allowed = Cette action n’est pas autorisée ici.
error-payload_too_large = La requête est trop volumineuse.
error-forbidden = Cette page est réservée aux opérateurs.
error-invalid_amount = Veuillez saisir un montant en euros et centimes, par exemple 5 ou 5,50.
error-budget_below_minimum = Le budget mensuel doit être d’au moins 2,00 €.
error-budget_above_maximum = Le budget mensuel dépasse le maximum de cette instance.
error-voucher_not_found = Ce code de bon est inconnu. Vérifiez-le et réessayez.
error-voucher_used = Ce bon a déjà été utilisé.
error-invalid_voucher_batch = Un lot contient de 1 à 10 000 bons d’au moins 0,01 € chacun, en centimes entiers.
error-invalid_idempotency_key = L’en-tête Idempotency-Key doit comporter de 1 à 255 caractères ASCII visibles.
error-idempotency_key_reused = Cette clé Idempotency-Key a déjà servi pour une autre requête.
error-invalid_url = Veuillez indiquer l’adresse complète d’une page web, commençant par https:// ou http://.
error-invalid_title = Le titre doit comporter entre 1 et 200 caractères.
error-invalid_description = La description doit comporter au plus 2 000 caractères.
error-invalid_category = Veuillez choisir une catégorie dans la liste.
error-invalid_language = Veuillez choisir une langue dans la liste.
error-invalid_query = Cette recherche n’a pas pu être comprise.
error-invalid_month = Un mois s’écrit AAAA-MM, par exemple 2026-11.
error-thing_exists = Cette page est déjà sur Obole.
error-already_clicked = Vous avez déjà soutenu ceci ce mois-ci.
error-own_thing = Vous ne pouvez pas soutenir vos propres contenus.
error-insufficient_funds = Vos fonds sont inférieurs à votre budget mensuel. Ajoutez des fonds avant de cliquer.
error-no_budget = Choisissez un budget mensuel (ou reprenez un budget en pause) avant de cliquer.
error-no_click = Vous n’avez pas soutenu ceci ce mois-ci.
error-title-402 = Fonds nécessaires
error-rate_limited = Trop de tentatives. Veuillez patienter une minute puis réessayer.
error-internal_error = Une erreur inattendue s’est produite. Elle a été enregistrée ; veuillez réessayer plus tard.
error-unavailable = Obole est momentanément indisponible. Veuillez réessayer dans un instant.

## Mois
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
month-short-1 = janv.
month-short-2 = févr.
month-short-3 = mars
month-short-4 = avr.
month-short-5 = mai
month-short-6 = juin
month-short-7 = juil.
month-short-8 = août
month-short-9 = sept.
month-short-10 = oct.
month-short-11 = nov.
month-short-12 = déc.
