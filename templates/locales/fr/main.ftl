## Obole — français. Chaque message doit aussi exister dans ../en/main.ftl (un test le vérifie).

language-name = Français
site-tagline = Le pourboire mensuel mutualisé pour le web que vous aimez

## Navigation et mise en page
nav-label = Navigation principale
nav-skip = Aller au contenu
nav-home = Accueil
nav-signup = Créer un compte
nav-login = Se connecter
nav-logout = Se déconnecter
nav-dashboard = Mon compte
nav-language = Langue
footer-about = Obole est une plateforme de pourboire mensuel mutualisé, dans l’esprit du Flattr d’origine.

## Page d’accueil
home-title = Donnez un peu, chaque mois, à ce qui compte pour vous
home-lead = Obole vous permet de soutenir les auteurs, podcasteurs, développeurs et artistes dont vous aimez le travail, sans vous abonner à chacun d’eux. Vous fixez un budget mensuel ; vos clics décident où il va.
home-how-title = Comment ça marche
home-step-fund = Approvisionnez votre porte-monnaie avec un bon ou une carte.
home-step-budget = Choisissez un budget mensuel, à partir de { $minimum }.
home-step-click = Cliquez sur le bouton Obole des pages que vous appréciez. Chaque clic vaut une part de votre mois.
home-step-settle = À la fin du mois, votre budget est partagé à parts égales entre tout ce que vous avez cliqué, au centime près, et les créateurs sont payés.
home-example-title = Un exemple
home-example = Avec un budget de { $budget } et 4 clics ce mois-ci, chaque créateur reçoit { $quarter }. Avec 8 clics, { $eighth } chacun. Vous ne payez jamais plus que votre budget, et rien pour un mois sans clic.
home-readers-title = Pour les lecteurs
home-readers-text = Vous savez toujours où va votre argent : chaque clic est listé, peut être annulé jusqu’à la clôture du mois et affiche ce qu’il vaut.
home-creators-title = Pour les créateurs
home-creators-text = Ajoutez vos pages, collez un bouton ou un lien, et voyez ce que chaque mois vous a rapporté, page par page, avec des relevés pour votre comptable.
home-cta-signup = Créer un compte
home-cta-login = J’ai déjà un compte

## Inscription et connexion
field-email = Adresse e-mail
field-password = Mot de passe
field-password-hint = Au moins { $min } caractères.
field-display-name = Nom public
field-display-name-hint = Facultatif. Affiché à côté de ce que vous publiez ; par défaut, le début de votre adresse e-mail.
signup-title = Créez votre compte
signup-intro = Un seul compte pour donner et recevoir des pourboires.
signup-submit = Créer mon compte
signup-have-account = Déjà inscrit ?
login-title = Connexion
login-submit = Se connecter
login-failed = L’adresse e-mail ou le mot de passe est incorrect.
login-no-account = Pas encore de compte ?
form-error-summary = Veuillez corriger le champ signalé.

## Tableau de bord
dashboard-title = Mon compte
dashboard-welcome = Bienvenue, { $name } !
dashboard-funds = Fonds
dashboard-revenue = Revenus
dashboard-email = Adresse e-mail
dashboard-security = Sécurité
dashboard-logout-everywhere = Se déconnecter de tous les appareils
dashboard-logout-everywhere-hint = Téléphone perdu, ou connexion depuis un ordinateur partagé ? Ceci ferme toutes les sessions de votre compte, y compris celle-ci, et révoque ses jetons d’API.

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
funds-redeemed = Bon utilisé : { $amount } ajoutés à vos fonds.
funds-movements = Mouvements
funds-no-movements = Aucun mouvement pour l’instant. Utilisez un bon pour approvisionner votre porte-monnaie.
funds-truncated = Voici les { $count } derniers mouvements ; le fichier CSV les contient tous.
funds-csv = Télécharger tous les mouvements (CSV)
movement-voucher_redemption = Bon utilisé
movement-voucher_issue = Bons émis
movement-budget_reservation = Budget du mois réservé
movement-settlement = Mois réglé : budget versé aux créateurs
movement-settlement_credit = Mois réglé : revenus crédités, commission de la plateforme déduite
movement-reservation_release = Réservation libérée
movement-other = Autre mouvement
csv-date = Date
csv-movement = Mouvement
csv-amount = Montant
csv-balance = Solde

## Budget
budget-title = Mon budget mensuel
budget-current = Votre budget : { $amount } par mois.
budget-none = Vous n’avez pas encore choisi de budget.
budget-explain = Votre budget est partagé à parts égales entre tout ce que vous cliquez dans le mois. Le budget d’un mois est fixé par son premier clic ; une modification faite ensuite s’applique à partir du mois suivant. Un mois sans clic ne vous coûte rien.
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
operator-codes-once = Copiez ces codes maintenant : ils sont conservés sous forme chiffrée et ne seront plus affichés.
operator-batches = Lots
operator-no-batches = Aucun bon émis pour l’instant.
operator-redeemed = Utilisés
operator-settlements-title = Règlements mensuels
operator-settlements-how = Chaque mois terminé est réglé une fois par la commande obole settle --month AAAA-MM : le budget de chaque lecteur est réparti entre ses clics et versé aux créateurs, commission de la plateforme déduite.
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
thing-field-url-hint = Son adresse canonique : les paramètres de suivi et la barre oblique finale sont retirés, pour qu’une page soit un seul contenu.
thing-field-title = Titre
thing-field-description = Description
thing-field-category = Catégorie
thing-field-language = Langue du contenu
thing-field-hidden = Masquer ce contenu (il disparaît des listes et ne peut plus être soutenu)
thing-by = par { $name }
thing-clicks = { $count ->
    [0] aucun soutien ce mois-ci
    [one] un soutien ce mois-ci
   *[other] { $count } soutiens ce mois-ci
}
thing-tip-title = Soutenir
thing-own = C’est à vous : les lecteurs le soutiennent ici. Partagez son bouton pour être soutenu.
thing-insufficient = Vos fonds ({ $funds }) sont inférieurs à votre budget mensuel ({ $budget }). Le premier clic du mois met ce budget de côté : ajoutez d’abord des fonds.
thing-clicked = Vous avez soutenu ceci ce mois-ci. Chacun de vos clics vaut { $value } ce mois-ci.
thing-first-click = C’est votre premier clic du mois : il met votre budget de { $value } de côté, et ce contenu le reçoit en entier si vous ne cliquez rien d’autre.
thing-worth = Avec ce clic, chacun de vos clics du mois vaudra { $value }.
thing-rounded = (arrondi ; le partage final se fait au millionième près)
thing-confirm = Confirmer mon soutien
thing-undo = Annuler
thing-thanks = Merci ! Votre soutien est enregistré ; vous pouvez l’annuler jusqu’à la fin du mois.
thing-close = Fermer cette fenêtre
embed-title = Bouton et code à intégrer
embed-intro = Collez l’un de ces codes sur la page « { $title } ».
embed-open-page = Ouvrir sa page Obole
embed-badge-title = Badge (fonctionne partout, sans JavaScript)
embed-badge-text = Un lien avec une petite image montrant les soutiens du mois.
embed-script-title = Bouton avec script
embed-script-text = Un bouton stylé qui ouvre la confirmation dans une petite fenêtre.
embed-link-title = Lien simple
embed-link-text = Pour les endroits qui n’acceptent ni images ni scripts : lettres d’information, flux, texte.
embed-code = Code
embed-copy = Copier
embed-copied = Copié.
clicks-title = Mes clics
clicks-budget = Budget du mois
clicks-not-reserved = mis de côté à votre premier clic
clicks-count = Clics
clicks-value = Un clic vaut
clicks-exact = exactement { $exact }
clicks-explain = Votre budget est partagé à parts égales entre les clics du mois ; vous pouvez annuler un clic jusqu’à la fin du mois.
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
error-title-410 = Plus valable
error-title-413 = Trop volumineux
error-title-422 = Vérifiez votre saisie
error-title-429 = Trop de tentatives
error-title-500 = Une erreur s’est produite
error-title-502 = Le service de paiement n’a pas répondu
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
error-url_locked = Des lecteurs ont soutenu cette chose : son adresse ne peut plus changer. Ajoutez la nouvelle adresse comme une nouvelle chose.
error-already_clicked = Vous avez déjà soutenu ceci ce mois-ci.
error-own_thing = Vous ne pouvez pas soutenir vos propres contenus.
error-insufficient_funds = Vos fonds sont inférieurs à votre budget mensuel. Ajoutez des fonds avant de cliquer.
error-no_budget = Choisissez un budget mensuel (ou reprenez un budget en pause) avant de cliquer.
error-no_click = Vous n’avez pas soutenu ceci ce mois-ci.
error-month_closed = Ce mois est clos : son règlement a commencé, ses soutiens ne peuvent plus changer. Les soutiens comptent désormais pour le nouveau mois.
error-invalid_code = Ce code n’est pas celui que nous avons envoyé.
error-sign_up_over = Cette inscription est terminée (son code a expiré, a déjà servi, ou trop de codes erronés ont été saisis). Veuillez recommencer.
error-title-402 = Fonds nécessaires
error-rate_limited = Trop de tentatives. Veuillez patienter une minute puis réessayer.
error-internal_error = Une erreur inattendue s’est produite. Elle a été enregistrée ; veuillez réessayer plus tard.
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

## Gains, relevés, contributions
nav-earnings = Gains
nav-contributions = Où va mon budget
nav-payouts = Versements
earnings-title = Gains
earnings-revenue = Revenus disponibles
earnings-live-clicks = Clics en { $month }
earnings-to-payouts = Versements
earnings-live-title = { $month }, en direct
earnings-live-explain = Les clics ne deviennent de l’argent qu’à la clôture du mois : le budget de chaque lecteur est alors réparti entre tous ses clics du mois.
earnings-live-none = Pas encore de clic sur vos contenus ce mois-ci.
earnings-thing = Contenu
earnings-clicks = Clics
earnings-chart-title = Les 12 derniers mois
earnings-chart-caption = Ce que chaque mois clos vous a rapporté, après la commission de la plateforme.
earnings-chart-table = Les mêmes chiffres en tableau
earnings-month = Mois
earnings-gross = Brut
earnings-fee = Commission de la plateforme
earnings-fee-rate = Commission de la plateforme ({ $rate } %)
earnings-net = Net
earnings-amount = Montant
earnings-not-settled = Ce mois n’est pas encore réglé : ses chiffres ne sont pas définitifs.
earnings-statement = Relevé imprimable
earnings-csv-comma = CSV
earnings-csv-semicolon = CSV pour tableur français (;)
statement-title = Relevé de { $month }
statement-for = Pour { $name } ({ $email })
statement-issued = Émis le { $at }
statement-rounding = Les montants sont exacts au micro-euro (0,000001). La commission est prélevée une fois sur le brut du mois et arrondie vers le bas ; la part de chaque contenu est proportionnelle à son brut (méthode du plus fort reste), pour que les lignes s’additionnent aux totaux. Les versements sont arrondis au centime inférieur et le reste demeure sur votre solde.
statement-back = Retour aux gains
csv-month = Mois
csv-thing-id = N° du contenu
csv-thing = Contenu
csv-clicks = Clics
csv-creator = Créateur
contributions-title = Où va mon budget
contributions-not-settled = Ce mois n’est pas encore réglé. À sa clôture, vous verrez ici comment votre budget a été réparti.
contributions-none = Vous n’avez rien cliqué ce mois-là : rien n’a été prélevé sur vos fonds.
contributions-debited = Budget dépensé
contributions-things = Contenus soutenus
contributions-creator = Créateur
contributions-months = Autres mois

## Versements
payouts-title = Versements
payouts-minimum = Versement minimum
payouts-request-title = Demander un versement
payouts-verify-first = Veuillez d’abord confirmer votre adresse e-mail : nous vous avons envoyé un lien à l’inscription.
payouts-request-explain = Un versement est d’au moins { $minimum }, en centimes entiers ; les fractions de centime restent sur votre solde. Un opérateur l’envoie par virement.
payouts-iban = IBAN
payouts-holder = Titulaire du compte
payouts-amount = Montant
payouts-amount-hint = Laissez vide pour recevoir tous vos revenus.
payouts-submit = Demander ce versement
payouts-to-funds-title = Dépenser ses revenus en lecteur
payouts-to-funds-explain = Transférez des revenus vers vos propres fonds, pour les dépenser par votre budget.
payouts-to-funds-hint = Laissez vide pour tout transférer.
payouts-to-funds-submit = Transférer vers mes fonds
payouts-history = Vos demandes
payouts-none = Aucun versement demandé pour l’instant.
payouts-requested-at = Demandé le
payouts-state = État
payouts-requested = Votre demande de versement est enregistrée. Un opérateur l’enverra bientôt.
payouts-moved = Les revenus sont maintenant dans vos fonds.
payout-state-pending = en attente
payout-state-sent = envoyé
payout-state-rejected = refusé
operator-payouts-title = Versements à envoyer
operator-payouts-pending = En attente
operator-payouts-none = Aucun versement en attente.
operator-payouts-decide = Décision
operator-payouts-reference = Référence du virement
operator-payouts-mark-sent = Marquer envoyé
operator-payouts-reason = Motif (facultatif)
operator-payouts-reject = Refuser
operator-payouts-own = Votre propre demande : un autre opérateur la traite.
operator-payouts-decided = Décidés récemment
operator-payouts-none-decided = Aucune décision pour l’instant.
movement-payout_request = Versement demandé
movement-payout_sent = Versement envoyé
movement-payout_rejected = Versement refusé : montant restitué
movement-revenue_to_funds = Revenus transférés vers les fonds
error-invalid_iban = Cet IBAN n’est pas valide. Veuillez le comparer à votre RIB.
error-invalid_holder = Veuillez indiquer le nom du titulaire du compte (70 caractères au plus).
error-payout_below_minimum = Un versement doit atteindre au moins le montant minimum.
error-payout_above_revenue = C’est plus que vos revenus disponibles.
error-payout_waiting = Une demande de versement est déjà en attente ; veuillez attendre qu’elle soit traitée.
error-payout_decided = Cette demande de versement a déjà été traitée.
error-own_payout = C’est votre propre demande de versement : un autre opérateur doit la traiter.
error-invalid_reference = Veuillez indiquer la référence du virement (140 caractères au plus).
error-email_not_verified = Veuillez d’abord confirmer votre adresse e-mail.
error-invalid_token = Ce lien n’est pas valide, a déjà servi ou a expiré.

## Adresses e-mail et mots de passe
verify-title = Adresse e-mail
verify-done = Merci : votre adresse e-mail est confirmée.
verify-sent = Nous avons envoyé un nouveau lien à { $email }.
verify-resend = M’envoyer un nouveau lien
verify-signed-out = Par sécurité, la connexion par un fournisseur reliée à ce compte avant que son adresse soit confirmée a été retirée, et tous les appareils ont été déconnectés : elle n’était peut-être pas la vôtre.
verify-choose-password = Choisir un mot de passe pour se connecter
login-forgot = Mot de passe oublié ?
forgot-title = Mot de passe oublié
forgot-explain = Indiquez l’adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = M’envoyer un lien
forgot-sent = Si un compte utilise cette adresse, un lien pour choisir un nouveau mot de passe est en route. Il est valable une heure.
reset-title = Choisir un nouveau mot de passe
reset-new-password = Nouveau mot de passe
reset-submit = Enregistrer le nouveau mot de passe
reset-ask-again = Demander un nouveau lien
reset-done = Votre mot de passe a été changé et toutes les sessions ont été fermées. Veuillez vous reconnecter.

## Courriels
mail-hello = Bonjour { $name },
mail-hello-anonymous = Bonjour,
mail-footer = Obole — le pourboire mensuel mutualisé. Vous recevez ce courriel parce que vous avez un compte Obole.
mail-clicks = { $count ->
    [0] 0 clic
    [one] 1 clic
   *[other] { $count } clics
}
mail-verify_email-subject = Veuillez confirmer votre adresse e-mail
mail-verify_email-body = Veuillez confirmer que cette adresse est bien la vôtre en ouvrant ce lien (valable 7 jours) :
mail-verify_email-ignore = Si vous n’avez pas créé de compte Obole, ignorez ce courriel.
mail-confirm_sign_up-subject = Votre code Obole
mail-confirm_sign_up-body = Pour terminer votre connexion à Obole avec { $provider }, saisissez ce code sur la page qui vous l’a demandé (il est valable 30 minutes) :
mail-confirm_sign_up-link = Ou ouvrez ce lien dans le même navigateur :
mail-confirm_sign_up-ignore = Si vous n’avez pas essayé de vous connecter à Obole, ignorez ce courriel : sans le code, personne ne peut utiliser votre adresse.
mail-reset_password-subject = Choisissez un nouveau mot de passe Obole
mail-reset_password-body = Quelqu’un a demandé à réinitialiser votre mot de passe Obole. Pour en choisir un nouveau, ouvrez ce lien (une seule fois, pendant une heure) :
mail-reset_password-ignore = Si ce n’était pas vous, ignorez ce courriel : votre mot de passe n’a pas changé.
mail-reader_statement-subject = Où est allé votre budget en { $month }
mail-reader_statement-intro = En { $month }, votre budget de { $amount } est allé à :
mail-reader_statement-total = Au total : { $amount }.
mail-reader_statement-more = Le détail sur Obole :
mail-creator_statement-subject = Ce que vous avez gagné en { $month }
mail-creator_statement-intro = En { $month }, vos lecteurs vous ont donné { $amount } (après la commission de la plateforme) :
mail-creator_statement-more = Votre relevé imprimable :
mail-payout_status-subject = Votre versement de { $amount } : { $status }
mail-payout_status-sent = Votre versement de { $amount } a été envoyé sur le compte { $iban }.
mail-payout_status-reference = Référence du virement : { $reference }
mail-payout_status-rejected = Votre demande de versement de { $amount } a été refusée ; le montant est revenu dans vos revenus.
mail-payout_status-reason = Motif : { $reason }
mail-things_claimed-subject = { $site } appartient à quelqu’un d’autre, preuve à l’appui
mail-things_claimed-body = Quelqu’un a prouvé que { $site } est à lui. { $count ->
    [one] La chose que vous aviez ajoutée à cette adresse lui appartient désormais :
   *[other] Les { $count } choses que vous aviez ajoutées à cette adresse lui appartiennent désormais :
}
mail-things_claimed-why = Sur Obole, l’argent va à qui prouve qu’une page est la sienne ; ce qui était retenu pour ces pages lui revient aussi. Rien de ce qui vous a déjà été versé ne change. Si le site est à vous, prouvez-le de nouveau depuis la page de vos sites.
mail-reader_statement-held = retenu jusqu’à ce que le créateur prouve que la page est la sienne
mail-reader_statement-returned = revenu dans vos fonds : personne n’a prouvé que la page était la sienne à temps
mail-reader_statement-donated = donné à l’association, comme vous l’avez choisi
mail-creator_statement-held = Retenu pour des pages que personne n’a encore prouvées (à vous si vous prouvez qu’elles sont les vôtres) : { $amount }

# Recharges par carte (Stripe)
error-top_up_below_minimum = Un paiement par carte est d’au moins 5,00 €.
error-top_up_above_maximum = Un paiement par carte est d’au plus 1 000,00 €.
error-card_payments_unavailable = Le paiement par carte n’est pas proposé sur cette instance.
error-payment_provider_failed = Le service de paiement n’a pas répondu. Rien n’a été débité ; veuillez réessayer dans un instant.
error-webhook_signature_invalid = La signature du webhook est absente, fausse ou trop ancienne.
error-webhook_invalid = Le corps du webhook n’est pas un événement qu’Obole comprend.
error-webhook_mismatch = Le montant ou la devise de l’événement diffère du paiement créé par Obole.
movement-card_payment = Paiement par carte
movement-card_refund = Remboursement par carte
movement-settlement_hold = Retenu pour des auteurs qui n’ont pas encore prouvé leurs pages
movement-held_release = Argent retenu versé à son auteur
movement-held_return = Argent retenu rendu : personne n’a prouvé que la page était la sienne à temps
card-title = Ajouter des fonds par carte
card-amount = Montant
card-other = Autre montant
card-other-amount = Autre montant (de { $minimum } à { $maximum })
card-continue = Continuer vers le paiement
card-explain = Vos données de carte vont à Stripe, notre prestataire de paiement, jamais à Obole. Vos fonds sont crédités dès que Stripe confirme le paiement.
card-payments = Paiements par carte
card-state = État
card-state-created = En attente de paiement
card-state-succeeded = Crédité
card-state-failed = Échoué
card-state-canceled = Annulé
card-refunded = { $amount } remboursés
card-confirming = Merci ! Votre paiement est en cours de confirmation ; vos fonds sont crédités dès que Stripe le confirme (en général en quelques secondes). Rechargez cette page pour les voir.
card-pay-title = Payer { $amount } par carte
card-details = Données de la carte
card-pay = Payer { $amount }
card-secure = Le formulaire de carte est celui de Stripe : Obole ne voit jamais votre numéro de carte.
card-back = Retour à mes fonds
card-failed = Le paiement n’est pas passé. Rien n’a été débité ; vérifiez les données de la carte et réessayez.
card-unavailable = Le formulaire de paiement n’a pas pu être chargé. Rechargez la page ou réessayez plus tard.

# Connexion par des fournisseurs OAuth2
error-oauth_provider_unknown = Ce fournisseur de connexion n’est pas configuré sur cette instance.
error-oauth_state_mismatch = Ce lien de connexion a expiré ou n’a pas été lancé ici. Veuillez recommencer depuis la page de connexion.
error-oauth_denied = La connexion a été annulée chez le fournisseur.
error-oauth_failed = Le fournisseur n’a pas confirmé la connexion. Veuillez recommencer depuis la page de connexion.
error-oauth_identity_taken = Ce compte chez le fournisseur est déjà lié à un compte Obole, ou le vôtre en a déjà un chez ce fournisseur.
error-last_log_in_method = C’est votre dernier moyen de connexion : définissez un mot de passe ou liez un autre fournisseur d’abord.
nav-settings = Paramètres
login-or = Ou continuer avec
login-with = Continuer avec { $provider }
login-link-needed = Un compte Obole utilise déjà { $email }. Connectez-vous-y une fois, et votre compte { $provider } y sera lié.
settings-title = Paramètres
settings-log-in = Moyens de connexion
settings-password-set = Vous vous connectez avec { $email } et un mot de passe.
settings-no-password = Votre compte ({ $email }) n’a pas encore de mot de passe ; vous vous connectez par un fournisseur.
settings-change-password = M’envoyer un lien pour changer mon mot de passe
settings-set-password = M’envoyer un lien pour définir un mot de passe
settings-provider = Fournisseur
settings-state = État
settings-linked-since = Lié depuis le { $date }
settings-not-linked = Non lié
settings-unlink = Délier
settings-link = Lier { $provider }
settings-last-method = Vous ne pouvez pas délier votre seul moyen de connexion : définissez un mot de passe ou liez un autre fournisseur d’abord.
settings-linked = Le fournisseur est lié : vous pouvez désormais vous connecter avec lui.
settings-unlinked = Le fournisseur est délié.
oauth-email-title = Encore une étape
oauth-email-explain = { $provider } ne nous a pas donné d’adresse e-mail. Quelle adresse Obole doit-il utiliser ? Nous vous enverrons un code pour la confirmer.
oauth-email-submit = Créer mon compte
oauth-confirm-title = Consultez votre messagerie
oauth-confirm-explain = Nous avons envoyé un code à { $email }. Saisissez-le ici pour terminer la connexion avec { $provider } : rien n’est ouvert ni relié avant, afin que personne ne puisse utiliser une adresse qui n’est pas la sienne.
oauth-confirm-code = Code reçu par courriel
oauth-confirm-code-hint = Huit lettres et chiffres, par exemple 7KQ2-M9XD. Il est valable 30 minutes.
oauth-confirm-submit = Confirmer
oauth-confirm-tries-left = { $count ->
    [one] Encore un essai.
   *[other] Encore { $count } essais.
}
oauth-confirm-elsewhere = Ce code ne fonctionne que dans le navigateur où vous avez commencé à vous connecter. Saisissez-le là-bas, sur la page qui vous l’a demandé.
oauth-confirm-your-code = Votre code :
oauth-confirm-start-again = Recommencer la connexion

## Découverte : parcourir, rechercher, pages des créateurs, flux
nav-browse = Découvrir
browse-title = Découvrir des contenus à soutenir
browse-search-title = Recherche : { $query }
browse-search-label = Chercher dans les titres, descriptions et créateurs
browse-search-placeholder = ex. podcast, élève, Zoé
browse-language = Langue
browse-all-languages = Toutes les langues
browse-category = Catégorie
browse-all-categories = Toutes les catégories
browse-sort = Trier par
browse-sort-relevance = Pertinence
browse-sort-popular = Les plus soutenus ce mois-ci
browse-sort-new = Les plus récents
browse-sort-all_time = Les plus soutenus depuis toujours
browse-search = Rechercher
browse-apply = Afficher
browse-in-language = Langue affichée : { $language }.
browse-show-all-languages = Afficher toutes les langues
browse-results = { $count ->
    [0] Aucun contenu
    [one] Un contenu
   *[other] { $count } contenus
}
browse-results-for = { $count ->
    [one] Un contenu correspond à « { $query } »
   *[other] { $count } contenus correspondent à « { $query } »
}
browse-results-for-more = Plus de { $count } contenus correspondent à « { $query } »
browse-pages = Pages
browse-previous = Précédente
browse-next = Suivante
browse-page-of = Page { $page } sur { $pages }
browse-page = Page { $page }
browse-no-match = Rien ne correspond à « { $query } » ici pour l’instant.
browse-nothing-here = Il n’y a encore rien à montrer ici.
browse-tip-words = Essayez avec moins de mots ou des mots plus courts : accents et majuscules n’importent pas, et « eleve » trouve aussi « élèves ».
browse-tip-all-languages = Chercher dans toutes les langues
browse-tip-all-categories = Chercher dans toutes les catégories
browse-tip-popular = Voir plutôt ce qui est populaire
browse-feed = Suivre les nouveaux contenus d’ici (flux Atom)
feed-title = Nouveau sur Obole
thing-by-prefix = par
thing-added-by-prefix = ajoutée par
thing-added-by = ajoutée par { $name }
creator-month-clicks = { $count ->
    [0] aucun soutien en { $month }
    [one] un soutien en { $month }
   *[other] { $count } soutiens en { $month }
}
creator-things = { $count ->
    [0] Aucun contenu
    [one] Un contenu
   *[other] { $count } contenus
}
creator-no-things = Rien à soutenir ici pour l’instant.
creator-clicked = Soutenus en { $month }
creator-clicked-none = Aucun soutien ce mois-ci pour l’instant.
profile-title = Votre page publique
profile-intro = Une page à votre adresse, qui montre vos contenus, vos liens et, si vous le souhaitez, ce que vous soutenez.
profile-handle = Identifiant (l’adresse de votre page : /c/identifiant)
profile-handle-hint = 2 à 30 caractères : lettres a–z, chiffres, « - » et « _ ».
profile-public-name = Nom public
profile-description = À propos de vous
profile-links = Liens
profile-links-hint = Jusqu’à cinq adresses web, une par ligne.
profile-clicks-public = Montrer sur ma page publique les contenus que je soutiens
profile-save = Enregistrer ma page publique
profile-saved = Votre page publique est enregistrée.
profile-see = Voir votre page publique
settings-edit-public-page = Modifier votre page publique
error-invalid_handle = Un identifiant compte 2 à 30 caractères : lettres a–z, chiffres, « - » et « _ », et commence par une lettre ou un chiffre.
error-handle_taken = Cet identifiant est déjà pris : choisissez-en un autre.
error-invalid_public_name = Le nom public doit compter de 1 à 80 caractères.
error-invalid_profile_description = La description est trop longue (2 000 caractères au plus).
error-invalid_links = Les liens sont jusqu’à cinq adresses web (http ou https), une par ligne.

# Preuves : les sites et leurs preuves
error-verification_failed = La preuve n’a pas été trouvée.
error-site_not_public = Ce site n’a pas d’adresse publique : Obole ne vérifie que des sites de l’internet public.
error-no_such_user = Aucun compte n’a cette adresse.
site-method-meta = une balise meta sur la page
site-method-well_known = un fichier sur le site
site-method-rel_me = un lien vers votre page publique
site-method-operator = la parole d’un opérateur
site-what-meta = la balise <meta name="obole-verification"> avec votre jeton
site-what-well_known = votre jeton
site-what-rel_me = un lien rel="me" vers votre page publique
site-problem-missing = { $url } a été lu, mais { $what } n’y figure pas.
site-problem-cut_off = { $url } a été lu, mais seuls ses { $detail } premiers Kio l’ont été et { $what } n’y figure pas : placez la preuve dans le <head> de la page.
site-problem-mismatch = { $url } a été lu, mais il ne contient pas votre jeton seul.
site-problem-no_public_page = Un lien rel="me" pourra prouver le site quand vous aurez une page publique sur Obole.
site-problem-status = En cherchant { $what } : { $url } a répondu avec le statut HTTP { $detail }.
site-problem-unreachable = En cherchant { $what } : { $url } n’a pas pu être joint.
site-problem-timeout = En cherchant { $what } : { $url } n’a pas répondu à temps.
site-problem-redirect_off_origin = En cherchant { $what } : { $url } redirige vers { $detail }, hors du site ; la preuve doit être sur le site lui-même.
site-problem-too_many_redirects = En cherchant { $what } : { $url } redirige trop de fois.
site-problem-not_http = { $url } n’est pas une adresse http ou https.
site-problem-not_public = { $url } n’a pas d’adresse publique ({ $detail }) : Obole ne lit que des sites de l’internet public.
sites-title = Vos sites
sites-intro = Sur Obole, l’argent va à qui prouve qu’une page est la sienne. Ajoutez votre site, ou votre page de profil sur un hébergeur partagé, placez-y la preuve, et les choses qui s’y trouvent — avec ce que les lecteurs leur ont donné avant votre arrivée — sont à vous.
sites-add = Ajouter un site
sites-url = Adresse du site ou de la page de profil
sites-url-hint = Un site entier comme https://example.org/, ou une page de profil comme https://social.example/@vous ou https://github.com/vous.
sites-add-button = Ajouter le site
sites-verified = vérifié ✓
sites-not-verified = pas encore prouvé
sites-verified-by = Prouvé par { $method }, le { $date }.
sites-superseded = Quelqu’un d’autre a prouvé ce site après vous : ses choses sont à lui tant que vous ne le prouvez pas de nouveau.
sites-check-failed-on = La dernière vérification, le { $date }, n’a pas trouvé la preuve :
sites-how = Prouvez le site de l’une de ces façons, puis vérifiez :
sites-meta-text = Placez cette balise dans le <head> de { $url } :
sites-well-known-text = Ou placez votre jeton seul dans le fichier { $url } :
sites-token = Votre jeton
sites-rel-me-text = Ou reliez { $url } à votre page publique sur Obole avec rel="me" (comme le permettent les profils Mastodon et GitHub) :
sites-rel-me-no-page = Ou reliez la page à votre page publique sur Obole avec rel="me", dès que vous en aurez une :
sites-check = Vérifier maintenant
sites-remove = Retirer
sites-proven = Le site est prouvé : ses choses sont à vous.
sites-proven-moved = Le site est prouvé : ses choses sont à vous, y compris certaines que d’autres avaient ajoutées, avec ce qui était retenu pour elles.
sites-check-failed = La preuve n’a pas été trouvée : voyez ci-dessous ce qui a été lu.
sites-removed = Le site a été retiré. Ses choses restent à vous (sauf si quelqu’un d’autre a prouvé un site qui les couvre), mais l’argent qui leur revient est retenu jusqu’à ce que vous prouviez de nouveau un site.
settings-sites-text = Prouvez quels sites sont les vôtres, pour que ce que les lecteurs donnent pour vos pages vous parvienne.
settings-sites-link = Gérer vos sites
embed-unclaimed = Cette chose n’est pas encore revendiquée : ce que les lecteurs donnent pour elle est retenu jusqu’à ce que vous prouviez que le site est le vôtre.
embed-link-tag-title = Un lien de paiement pour l’en-tête de la page
embed-link-tag-text = Placez cette balise dans le <head> de votre page : les navigateurs et lecteurs de flux qui cherchent comment soutenir une page trouvent votre page Obole.
embed-podcast-title = Une balise de soutien pour votre podcast
embed-podcast-text = Placez cette balise dans le flux RSS de votre podcast, dans <channel> (ou un <item>) : les applications compatibles Podcasting 2.0 affichent un lien pour vous soutenir.
thing-not-claimed = pas encore revendiquée
thing-held-explained = Son auteur n’a pas prouvé sur Obole que cette page est la sienne (il n’y est peut-être pas encore). Ce que vous donnez lui est réservé : il le reçoit dès qu’il le prouve, et s’il ne le fait pas dans les { $months } mois, tout revient dans vos fonds.
things-unclaimed-hint = L’argent des choses marquées « pas encore revendiquée » est retenu jusqu’à ce que vous prouviez que leur site est le vôtre.
earnings-held = Retenu pour vous
earnings-released = Versé plus tard, quand vous avez prouvé vos pages
earnings-held-explained = Ce que les lecteurs ont donné pour vos choses que personne n’a encore revendiquées : cela vous revient, moins la commission, si vous prouvez que leur site est le vôtre ; qui le prouve le reçoit.
hold-held = retenu
hold-released = versé à qui a prouvé la page
hold-returned = rendu aux lecteurs
share-held = retenu pour l’auteur
share-returned = revenu dans vos fonds
share-donated = donné à l’association
nav-sites = Sites
operator-sites-title = Se porter garant d’un site
operator-sites-intro = Quand vous connaissez un créateur, attestez qu’un site est le sien : les choses qui s’y trouvent deviennent les siennes, avec ce qui était retenu pour elles, comme s’il l’avait prouvé. Ceux qui y avaient ajouté des choses sont prévenus par courriel.
operator-sites-grant = Attester
operator-sites-email = Le compte du créateur (adresse e-mail)
operator-sites-submit = Attester le site
operator-sites-done = { $url } est désormais prouvé ; { $count ->
    [0] aucune chose n’a changé de mains.
    [one] une chose a changé de mains.
   *[other] { $count } choses ont changé de mains.
}

## Issue 20: small things found on the walk
error-not_your_thing = Ce contenu appartient à un autre compte : seul son créateur peut le modifier ou obtenir son bouton.
earnings-total = Total
earnings-share = Part
earnings-share-status = Où elle en est
earnings-unclaimed-title = Contenus non revendiqués (hors des totaux ci-dessus)
earnings-unclaimed-explained = Des lecteurs ont soutenu ces contenus alors qu’aucun de vos sites ne les prouvait : leurs parts ont été retenues, hors de votre brut. Une part retenue vous revient, moins la commission, quand vous prouvez le site.
earnings-no-closed-month = Aucun mois de votre compte n’est encore clos : { $month } sera le premier, une fois terminé.
earnings-before-account = Votre compte n’existait pas encore ce mois-là : vos relevés commencent en { $month }.
statement-operated-by = Exploité par { $name }
statement-print = Imprimer ou enregistrer en PDF
csv-fee = Commission
csv-net = Net
mail-line = { $label } : { $value }
mail-creator_statement-thing = brut { $gross }, commission { $fee }, net { $net }
browse-in-all-languages = dans toutes les langues, { $first ->
    [fr] le français
   *[other] l’anglais
} d’abord
browse-narrow = affinez par langue ou par catégorie
browse-no-match-anywhere = Rien ne correspond à « { $query } » pour l’instant, dans aucune langue.
