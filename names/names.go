// Package names finds a person however their name is written: Arabic
// script or any of the Latin spellings of it, with or without the article,
// Abu or Abou, Abd al-Rahman or Abdulrahman, a kunya instead of the given
// name, the father's name as part of the name.
//
// Names are normalised (Normalize), Arabic script is carried to a Latin
// key by rule (Key) so that both scripts meet in one index, and candidates
// are scored token by token (Score) with date of birth, parents' names and
// nationality as further evidence. Every match says why.
package names

// Record is one person as the index knows them.
type Record struct {
	ID            string
	Names         []string // every form of the name: Arabic script, Latin spellings, aliases
	Father        []string // the father's name, in any script and spelling
	Mother        []string // the mother's name
	BirthYear     int      // 0: unknown
	Nationalities []string // ISO 3166-1 alpha-2
}

// Query is what is known of the person sought.
type Query struct {
	Names          []string // any script; at least one
	Father         []string
	Mother         []string
	BirthYear      int // 0: unknown
	BirthYearSlack int // years either side of BirthYear that still agree (an approximate age)
	Nationality    string
}

// Match is one candidate, with its score in [0, 1] and the reasons for it.
type Match struct {
	ID      string   `json:"id"`
	Score   float64  `json:"score"`
	Name    string   `json:"name"` // the record's name form that matched best
	Reasons []Reason `json:"reasons"`
}

// Reason is one piece of evidence for (or against) a match.
type Reason struct {
	Field string  `json:"field"` // name, father, mother, birth, nationality
	Query string  `json:"query"` // the query's token or value
	Found string  `json:"found"` // the record's token or value
	How   string  `json:"how"`   // exact, normalised, arabic-key, phonetic, skeleton, jaro-winkler, initial, missing, conflict, ...
	Score float64 `json:"score"` // this piece's contribution, in [0, 1] (or its penalty)
}
