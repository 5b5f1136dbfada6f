"""What a Gusto admin reads while connecting: the steps on Gusto's consent screen."""

from __future__ import annotations

GUIDES: dict[str, tuple[str, ...]] = {
    "en": (
        "Click Connect: Gusto opens its own sign-in page. Sign in with the account of a "
        "primary admin or full access admin of your company (other admins cannot connect "
        "apps).",
        "If you administer several companies, choose the company to connect. Each company is "
        "connected on its own.",
        "Gusto lists the access requested (see the data above). Review it and click Allow.",
        "Gusto sends you back here and the connection is checked. Nothing needs to be copied "
        "or pasted.",
    ),
    "de": (
        "Klicken Sie auf Verbinden: Gusto öffnet seine eigene Anmeldeseite. Melden Sie sich "
        "mit dem Konto eines Primary Admins oder Full Access Admins Ihres Unternehmens an "
        "(andere Administratoren können keine Apps verbinden).",
        "Wenn Sie mehrere Unternehmen verwalten, wählen Sie das zu verbindende Unternehmen "
        "aus. Jedes Unternehmen wird einzeln verbunden.",
        "Gusto listet den angefragten Zugriff auf (siehe die Daten oben). Prüfen Sie ihn und "
        "klicken Sie auf „Allow“.",
        "Gusto leitet Sie hierher zurück und die Verbindung wird geprüft. Sie müssen nichts "
        "kopieren oder einfügen.",
    ),
    "fr": (
        "Cliquez sur Connecter : Gusto ouvre sa propre page de connexion. Connectez-vous avec "
        "le compte d’un Primary Admin ou Full Access Admin de votre entreprise (les autres "
        "administrateurs ne peuvent pas connecter d’applications).",
        "Si vous administrez plusieurs entreprises, choisissez celle à connecter. Chaque "
        "entreprise est connectée séparément.",
        "Gusto affiche l’accès demandé (voir les données ci-dessus). Vérifiez-le et cliquez "
        "sur « Allow ».",
        "Gusto vous renvoie ici et la connexion est vérifiée. Rien à copier ni à coller.",
    ),
    "it": (
        "Fai clic su Connetti: Gusto apre la propria pagina di accesso. Accedi con l’account "
        "di un Primary Admin o Full Access Admin della tua azienda (gli altri amministratori "
        "non possono collegare app).",
        "Se amministri più aziende, scegli l’azienda da collegare. Ogni azienda viene "
        "collegata separatamente.",
        "Gusto elenca l’accesso richiesto (vedi i dati sopra). Controllalo e fai clic su «Allow».",
        "Gusto ti riporta qui e la connessione viene verificata. Non c’è nulla da copiare o "
        "incollare.",
    ),
    "es": (
        "Haz clic en Conectar: Gusto abre su propia página de inicio de sesión. Inicia sesión "
        "con la cuenta de un Primary Admin o Full Access Admin de tu empresa (los demás "
        "administradores no pueden conectar aplicaciones).",
        "Si administras varias empresas, elige la empresa que quieres conectar. Cada empresa "
        "se conecta por separado.",
        "Gusto muestra el acceso solicitado (ver los datos de arriba). Revísalo y haz clic en "
        "«Allow».",
        "Gusto te devuelve aquí y se comprueba la conexión. No hay nada que copiar ni pegar.",
    ),
}
