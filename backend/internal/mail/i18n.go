package mail

import "strings"

// catalog holds every string of the mails in one language. Templates read
// the plain labels (.L.Status); the Go code formats the sentences with
// arguments. A test checks that every language fills every field.
type catalog struct {
	// Subjects: ticket number, title (and the assignee's name).
	SubjectReply    string
	SubjectAssigned string
	SubjectReleased string
	SubjectClosed   string
	SubjectReset    string
	SubjectTest     string // application title
	SubjectDigest   string

	// Sentences opening a ticket notification.
	IntroReply    string // ticket number
	IntroAssigned string // assignee's name, ticket number
	IntroReleased string // ticket number
	IntroClosed   string // ticket number
	Replied       string // author's name

	// Labels.
	Number      string
	Title       string
	Status      string
	Priority    string
	Assigned    string
	NotAssigned string
	Category    string
	Content     string
	OpenTicket  string // ticket number
	Footer      string
	Someone     string
	Greeting    string // user's name
	Colon       string // between a label and its value

	// Password reset.
	ResetIntro  string // application title, username
	ResetAction string
	ResetButton string
	ResetIgnore string

	// Test mail.
	TestBody string // application title twice

	// One mail for a bulk change of several tickets.
	SubjectBulkAssigned string // number of tickets, assignee's name
	SubjectBulkClosed   string // number of tickets
	IntroBulkAssigned   string // actor's name, assignee's name
	IntroBulkClosed     string // actor's name
	FooterBulk          string

	// Outstanding-tickets digest.
	DigestHeading string
	DigestIntro   string
	DigestMore    string // number of tickets left out

	// Names of the seeded statuses and priorities; others show as stored.
	Names map[string]string
}

var catalogs = map[string]*catalog{
	"en": {
		SubjectReply:    `Ticket #%s - "%s" has new replies.`,
		SubjectAssigned: `Ticket #%s - "%s" has been assigned to %s.`,
		SubjectReleased: `Ticket #%s - "%s" has been released.`,
		SubjectClosed:   `Ticket #%s - "%s" has been closed.`,
		SubjectReset:    "Password Reset",
		SubjectTest:     "%s Test Email",
		SubjectDigest:   "Outstanding Ticket Notifications",

		IntroReply:    "There are new replies to ticket %s.",
		IntroAssigned: "%s has been assigned to ticket %s.",
		IntroReleased: "Ticket %s has been released: it is no longer assigned to anyone.",
		IntroClosed:   "Ticket %s has been closed.",
		Replied:       "%s replied:",

		Number:      "Ticket Number",
		Title:       "Title",
		Status:      "Status",
		Priority:    "Priority",
		Assigned:    "Assigned",
		NotAssigned: "ticket not claimed",
		Category:    "Department / Category",
		Content:     "Content",
		OpenTicket:  "Open ticket %s",
		Footer:      "You receive this e-mail because you follow this ticket.",
		Someone:     "Someone",
		Greeting:    "Hello %s,",
		Colon:       ":",

		ResetIntro:  `Someone (hopefully you) asked to reset the password of your %s account "%s".`,
		ResetAction: "Choose a new password with this link. It works once, within one hour:",
		ResetButton: "Choose a new password",
		ResetIgnore: "If you did not ask for this, ignore this e-mail: your password stays as it is.",

		TestBody: "%s test email. The %s email settings appear to be working. Excellent.",

		SubjectBulkAssigned: "%d tickets have been assigned to %s.",
		SubjectBulkClosed:   "%d tickets have been closed.",
		IntroBulkAssigned:   "%s assigned these tickets to %s:",
		IntroBulkClosed:     "%s closed these tickets:",
		FooterBulk:          "You receive this e-mail because you follow these tickets.",

		DigestHeading: "Tickets Still Awaiting Resolution",
		DigestIntro:   "These tickets, which you started or are assigned, are not closed yet:",
		DigestMore:    "… and %d more.",

		Names: map[string]string{},
	},
	"fr": {
		SubjectReply:    `Ticket n° %s - « %s » a de nouvelles réponses.`,
		SubjectAssigned: `Ticket n° %s - « %s » a été assigné à %s.`,
		SubjectReleased: `Ticket n° %s - « %s » a été libéré.`,
		SubjectClosed:   `Ticket n° %s - « %s » a été fermé.`,
		SubjectReset:    "Réinitialisation du mot de passe",
		SubjectTest:     "E-mail de test de %s",
		SubjectDigest:   "Notification des tickets en suspens",

		IntroReply:    "Le ticket %s a de nouvelles réponses.",
		IntroAssigned: "%s a été assigné(e) au ticket %s.",
		IntroReleased: "Le ticket %s a été libéré : il n’est plus assigné à personne.",
		IntroClosed:   "Le ticket %s a été fermé.",
		Replied:       "%s a répondu :",

		Number:      "Numéro du ticket",
		Title:       "Titre",
		Status:      "Statut",
		Priority:    "Priorité",
		Assigned:    "Assigné à",
		NotAssigned: "ticket non attribué",
		Category:    "Département / Catégorie",
		Content:     "Contenu",
		OpenTicket:  "Ouvrir le ticket %s",
		Footer:      "Vous recevez cet e-mail car vous suivez ce ticket.",
		Someone:     "Quelqu’un",
		Greeting:    "Bonjour %s,",
		Colon:       " :", // French puts a space before the colon

		ResetIntro:  "Quelqu’un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte %s « %s ».",
		ResetAction: "Choisissez un nouveau mot de passe avec ce lien. Il ne fonctionne qu’une fois, pendant une heure :",
		ResetButton: "Choisir un nouveau mot de passe",
		ResetIgnore: "Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste inchangé.",

		TestBody: "E-mail de test de %s. Les réglages e-mail de %s semblent fonctionner. Excellent.",

		SubjectBulkAssigned: "%d tickets ont été assignés à %s.",
		SubjectBulkClosed:   "%d tickets ont été fermés.",
		IntroBulkAssigned:   "%s a assigné ces tickets à %s :",
		IntroBulkClosed:     "%s a fermé ces tickets :",
		FooterBulk:          "Vous recevez cet e-mail car vous suivez ces tickets.",

		DigestHeading: "Tickets toujours en attente de résolution",
		DigestIntro:   "Ces tickets, que vous avez créés ou qui vous sont assignés, ne sont pas encore fermés :",
		DigestMore:    "… et %d de plus.",

		Names: map[string]string{
			"Open": "Ouvert", "Closed": "Fermé", "In Work": "En cours",
			"Awaiting Information": "En attente d’informations",
			"low":                  "basse", "medium": "moyenne", "high": "haute",
		},
	},
}

// DefaultLocale is used for unknown or empty locales.
const DefaultLocale = "en"

// Locales lists the languages mails are written in.
func Locales() []string { return []string{"en", "fr"} }

// NormalizeLocale maps a user's locale ("fr", "fr_FR", "FR-ca") to a
// supported language, else English.
func NormalizeLocale(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "_-"); i > 0 {
		l = l[:i]
	}
	if _, ok := catalogs[l]; ok {
		return l
	}
	return DefaultLocale
}

func catalogFor(locale string) *catalog { return catalogs[NormalizeLocale(locale)] }

// name translates a seeded status or priority name.
func (c *catalog) name(s string) string {
	if t, ok := c.Names[s]; ok {
		return t
	}
	return s
}
