"""What a Deel admin reads while connecting: the steps around Deel's consent screen."""

from __future__ import annotations

GUIDES: dict[str, tuple[str, ...]] = {
    "en": (
        "Continue to Deel and sign in there as an admin of your organization (an "
        "organization admin, or a role that may view people and the organization structure).",
        "If your Deel login belongs to several organizations, choose the one to connect.",
        "Deel shows the app’s name and the access it requests: reading people and reading "
        "your organization with its departments, as listed above.",
        "Review the requested access and click Allow. Deny leaves everything as it was.",
        "Deel brings you back here, and the connection is checked right away.",
    ),
    "de": (
        "Wechseln Sie zu Deel und melden Sie sich dort als Administrator Ihrer Organisation "
        "an (Organisations-Admin oder eine Rolle, die Personen und die Organisationsstruktur "
        "sehen darf).",
        "Gehört Ihr Deel-Login zu mehreren Organisationen, wählen Sie die zu verbindende aus.",
        "Deel zeigt den Namen der App und den angefragten Zugriff: Personen lesen sowie Ihre "
        "Organisation mit ihren Abteilungen lesen, wie oben aufgeführt.",
        "Prüfen Sie den angefragten Zugriff und klicken Sie auf „Allow“. „Deny“ lässt alles, "
        "wie es war.",
        "Deel leitet Sie hierher zurück, und die Verbindung wird sofort geprüft.",
    ),
    "fr": (
        "Continuez vers Deel et connectez-vous en tant qu’administrateur de votre "
        "organisation (administrateur de l’organisation, ou un rôle autorisé à voir les "
        "personnes et la structure de l’organisation).",
        "Si votre compte Deel appartient à plusieurs organisations, choisissez celle à connecter.",
        "Deel affiche le nom de l’application et l’accès demandé : lire les personnes et lire "
        "votre organisation avec ses départements, comme indiqué ci-dessus.",
        "Vérifiez l’accès demandé et cliquez sur « Allow ». « Deny » laisse tout tel quel.",
        "Deel vous ramène ici et la connexion est vérifiée aussitôt.",
    ),
    "it": (
        "Prosegui su Deel e accedi come amministratore della tua organizzazione "
        "(amministratore dell’organizzazione, o un ruolo che può vedere le persone e la "
        "struttura organizzativa).",
        "Se il tuo accesso Deel appartiene a più organizzazioni, scegli quella da collegare.",
        "Deel mostra il nome dell’app e l’accesso richiesto: leggere le persone e leggere la "
        "tua organizzazione con i suoi reparti, come elencato sopra.",
        "Controlla l’accesso richiesto e fai clic su «Allow». «Deny» lascia tutto com’era.",
        "Deel ti riporta qui e la connessione viene verificata subito.",
    ),
    "es": (
        "Continúa a Deel e inicia sesión como administrador de tu organización "
        "(administrador de la organización, o un rol que pueda ver las personas y la "
        "estructura de la organización).",
        "Si tu acceso a Deel pertenece a varias organizaciones, elige la que quieres conectar.",
        "Deel muestra el nombre de la aplicación y el acceso que solicita: leer las personas y "
        "leer tu organización con sus departamentos, como se indica arriba.",
        "Revisa el acceso solicitado y haz clic en «Allow». «Deny» deja todo como estaba.",
        "Deel te trae de vuelta aquí y la conexión se comprueba enseguida.",
    ),
}
