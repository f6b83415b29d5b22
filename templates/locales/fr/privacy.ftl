## Suppression du compte et page de confidentialité (docs/PRIVACY.md).

error-revenue_left = Il reste des revenus sur votre compte : faites-les verser ou placez-les d’abord dans vos fonds.
error-funds_choice_required = Il reste des fonds sur votre compte : choisissez s’ils vont à l’association ou à la plateforme.
error-invalid_funds_choice = Les fonds ne peuvent aller qu’à l’association ou à la plateforme.
error-no_charity = Cette instance ne nomme aucune association : rien ne peut lui être donné.
movement-account_closed = Compte supprimé : fonds restants donnés

footer-privacy = Confidentialité : ce qu’Obole conserve
settings-delete-title = Supprimer votre compte
settings-delete-text = Vos données personnelles sont effacées ; les écritures comptables restent, sous un numéro qui ne vous nomme plus.
settings-delete-link = Supprimer mon compte…

delete-title = Supprimer votre compte
delete-what-title = Ce qui se passe
delete-what-erased = Votre adresse, vos noms, votre page publique, votre mot de passe, vos connexions liées, jetons, sessions, coordonnées bancaires et e-mails en attente sont effacés.
delete-what-ledger = Les écritures comptables et les relevés des mois réglés restent, comme le droit comptable l’exige, sous le numéro de votre compte, qui ne vous nomme plus.
delete-what-clicks = { $count ->
    [0] Vous n’avez aucun clic ce mois-ci.
    [one] Votre clic de ce mois est annulé et le budget du mois revient d’abord dans vos fonds.
   *[other] Vos { $count } clics de ce mois sont annulés et le budget du mois revient d’abord dans vos fonds.
}
delete-what-things = Vos contenus ({ $things }) sont masqués et vos sites ({ $sites }) libérés : l’argent destiné à ces pages est retenu pour qui prouvera qu’elles sont les siennes.
delete-what-address = Votre adresse est de nouveau libre : vous pourrez ouvrir un nouveau compte avec elle plus tard.
delete-privacy-link = Ce qu’Obole conserve, et pourquoi
delete-first-title = D’abord, votre argent
delete-payouts-link = Vos revenus et versements
delete-proof-title = Confirmez que c’est vous
delete-log-in-again = Votre compte n’a pas de mot de passe : déconnectez-vous, reconnectez-vous avec votre fournisseur, puis revenez ici dans les 10 minutes.
delete-log-out = Se déconnecter
delete-fresh-log-in = Vous venez de vous connecter avec votre fournisseur : cela prouve que c’est vous.
delete-password = Votre mot de passe
delete-funds-legend = Vos fonds restants ({ $amount }) vont à
delete-funds-charity = l’association { $charity }
delete-funds-platform = la plateforme
delete-next = Continuer
delete-confirm-title = Supprimer votre compte définitivement ?
delete-summary-title = Récapitulatif
delete-summary-charity = { $amount } de fonds vont à l’association { $charity }.
delete-summary-platform = { $amount } de fonds vont à la plateforme.
delete-final = C’est irréversible.
delete-confirm = Supprimer mon compte
delete-cancel = Garder mon compte
deleted-title = Votre compte est supprimé
deleted-text = Vos données personnelles sont effacées et vous êtes déconnecté. Merci pour votre soutien.
deleted-home = Accueil

privacy-title = Confidentialité : ce qu’Obole conserve
privacy-intro = Obole conserve ce qu’il lui faut pour faire circuler votre argent et vous montrer où il est allé, rien pour le vendre ni pour vous pister.
privacy-held-title = Ce qu’Obole détient sur vous
privacy-held-account = Votre compte : adresse, nom affiché, langue, mot de passe (sous forme d’empreinte Argon2id), les fournisseurs avec lesquels vous vous connectez, sessions et jetons d’API (sous forme d’empreintes).
privacy-held-money = Votre argent : écritures du grand livre (bons, paiements par carte, budgets, revenus, versements avec leur IBAN et leur titulaire), relevés mensuels.
privacy-held-clicks = Vos clics : quels contenus, quel mois, faits par vous ou par un abonnement ; privés, sauf si vous en rendez un visible, avec sa note ; vos abonnements ; ce que vos mois sans clic ont donné à l’association, si vous l’avez choisi.
privacy-held-creator = En tant que créateur : vos contenus, votre page publique, vos sites et leurs preuves.
privacy-held-mail = Les e-mails que nous vous avons envoyés ou allons vous envoyer (leur type et leurs dates).
privacy-export-title = Le télécharger
privacy-export-text = Les paramètres proposent un bouton qui télécharge tout ce qu’Obole détient sur votre compte : un fichier zip avec un fichier JSON et les fichiers CSV de vos fonds et de vos revenus. Les programmes obtiennent le JSON à l’adresse GET /api/v1/me/export.
privacy-delete-title = Supprimer votre compte
privacy-delete-erased = Supprimer votre compte efface votre adresse, vos noms, votre page publique, votre mot de passe, vos connexions liées, jetons, sessions, e-mails en attente, les coordonnées bancaires de vos versements, votre budget et vos choix ; vos contenus sont masqués et vos sites libérés ; les clics de ce mois sont annulés.
privacy-delete-kept = Les écritures du grand livre et les relevés des mois réglés sont conservés, sous le seul numéro de votre compte, qui ne mène plus à vous : le droit comptable l’exige, et les relevés des autres s’additionnent avec eux. Votre identifiant public reste réservé pour que personne ne se fasse passer pour vous.
privacy-delete-funds = Les revenus doivent d’abord être versés ou placés dans vos fonds ; les fonds restants vont à l’association ou à la plateforme, selon votre choix.
privacy-delete-link = Supprimer mon compte
privacy-how-long-title = Pour combien de temps
privacy-how-long-ledger = Écritures et relevés : aussi longtemps que le droit comptable l’exige (dix ans en France), après quoi ils peuvent être supprimés.
privacy-how-long-account = Votre compte : jusqu’à ce que vous le supprimiez. Les liens à usage unique expirent en une semaine, les inscriptions en attente en un jour.
privacy-how-long-logs = Les journaux du serveur nomment des numéros de compte, pas des adresses, et sont conservés selon la rotation choisie par l’opérateur (quelques semaines au plus sont conseillées).
