export-title = Vos données
export-text = Téléchargez tout ce qu’Obole conserve à votre sujet : votre compte, chaque mouvement de votre argent, vos clics, vos contenus, vos sites et leurs preuves, vos versements, vos paiements par carte et les e-mails que nous vous avons envoyés. Un fichier zip avec un fichier JSON et les fichiers CSV pour un tableur.
export-download = Télécharger mes données (zip)
export-api = Les programmes obtiennent la même archive en JSON à l’adresse /api/v1/me/export.
