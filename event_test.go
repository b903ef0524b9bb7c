package custody

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/go-json-experiment/json/jsontext"
	"reflect"
	"testing"
	"time"
)

// allTypes is every event type constant.
var allTypes = []EventType{
	TypeAuthorityRegistered, TypeFacilityRegistered, TypeControlChanged,
	TypePersonRegistered, TypeIdentityCorrected, TypeAdmitted, TypeTransferred,
	TypeReleased, TypeEscaped, TypeRecaptured, TypeDied, TypeHospitalised, TypeReturned,
	TypeChargesPublished, TypePositionsPublished,
	TypeCaseOpened, TypeCaseCharged, TypeCaseHearing, TypeCaseDecided, TypeCaseSentenced, TypeCaseAppealed, TypeCaseAppealDecided,
	TypeConsularNotified, TypeConsularAcknowledged,
	TypeRepatriationRequested, TypeRepatriationDecided, TypeRepatriationReleased, TypeRepatriationReceived,
}

// samplePayloads has one payload of every type with every field set.
func samplePayloads() []Payload {
	full := Person{
		ID:   "p1",
		Name: Name{Arabic: "أحمد الحسن", Latin: []string{"Ahmad al-Hasan", "Ahmed el-Hassan"}},
		Aliases: []Alias{
			{Kind: AliasKunya, Name: Name{Arabic: "أبو عمر", Latin: []string{"Abu Omar"}}},
			{Kind: AliasNomDeGuerre, Name: Name{Latin: []string{"al-Shami"}}},
		},
		FatherName:    Name{Arabic: "حسن", Latin: []string{"Hasan"}},
		MotherName:    Name{Arabic: "فاطمة"},
		Sex:           Male,
		Birth:         BirthDate{Date: "1988-01-01", Estimated: true},
		Nationalities: []string{"IQ", "SY"},
		Documents:     []Document{{Kind: "passport", Number: "A1234567", Country: "IQ"}},
		Category:      Man,
		RiskTier:      1,
		Medical:       "diabetes <insulin> & \"care\"",
		Family:        []FamilyLink{{Relation: FatherOf, Person: "p2"}, {Relation: SpouseOf, Person: "p3"}},
		Inform:        &Contact{Name: Name{Latin: []string{"Hasan al-Hasan"}}, Relationship: "father", Address: "Mosul", Phone: "+964 770 000 0000"},
	}
	return []Payload{
		&AuthorityRegistered{Authority: Authority{ID: irq, Name: Name{Arabic: "وزارة العدل", Latin: []string{"Iraqi Ministry of Justice"}}, Kind: Ministry, Country: "IQ"}},
		&FacilityRegistered{Facility: Facility{ID: annex, Name: Name{Latin: []string{"al-Hol annex"}}, Kind: CampSection, Parent: alhol,
			Place: Place{Name: "al-Hol", Region: "Hasakah", Country: "SY", Lat: 36.3758, Lon: 41.1491}, Capacity: 8000, Security: SecurityHigh, Controller: sdf}},
		&ControlChanged{Facility: alhol, From: sdf, To: gov, Circumstances: "handed over under the peace process"},
		&PersonRegistered{Person: full},
		&IdentityCorrected{Corrects: 42, Reason: "passport seen", Person: full},
		&Admitted{Person: "p1", Facility: hasakah, TakenBy: "unit 7", OrderedBy: sdf, Order: "order 12/2019", Grounds: "membership"},
		&Transferred{Person: "p1", From: hasakah, To: baghdad, OrderedBy: irq, Reference: "op-2026-02"},
		&Released{Person: "p1", Facility: alhol, Reason: "repatriation", AuthorisedBy: sdf, Destination: "Tashkent"},
		&Escaped{Person: "p1", Facility: hasakah, Circumstances: "attack on the prison"},
		&Recaptured{Person: "p1", Escape: 77, Facility: hasakah, TakenBy: "patrol"},
		&Died{Person: "p1", Facility: hospital, Circumstances: "in hospital", Cause: "sepsis", Remains: "buried in Hasakah, grave 12"},
		&Hospitalised{Person: "p1", From: hasakah, Hospital: hospital, Reason: "wound"},
		&Returned{Person: "p1", Hospital: hospital, Facility: annex},
		ptr(DefaultCharges()),
		ptr(DefaultPositions()),
		&CaseOpened{Case: Case{ID: "C1", Person: "p1", Jurisdiction: irq, Court: "Karkh Criminal Court", Committee: "Committee 3", Reference: "ATL/2026/1"}},
		&CaseCharged{Case: "C1", Person: "p1", Charges: []ChargeRef{{Code: "atl-4-1-membership", Version: 1}}, Note: "sheet 1"},
		&CaseHearing{Case: "C1", Person: "p1", Court: "Karkh", Summary: "statement <read> & \"signed\"", Counsel: true},
		&CaseDecided{Case: "C1", Person: "p1", Decision: DecisionReferred, Note: "n"},
		&CaseSentenced{Case: "C1", Person: "p1", Sentence: Penalty{Kind: PenaltyYears, Years: 15}, Court: "Karkh"},
		&CaseAppealed{Case: "C1", Person: "p1", By: "defence", Court: "Federal Court of Cassation"},
		&CaseAppealDecided{Case: "C1", Person: "p1", Outcome: AppealCommuted, Sentence: &Penalty{Kind: PenaltyYears, Years: 10}, Note: "n"},
		&ConsularNotified{Country: "SE", Notifications: []NotificationID{"p1/irq/SE"}, Means: "note verbale", To: "Embassy of Sweden, Baghdad", Reference: "r"},
		&ConsularAcknowledged{Country: "SE", Notifications: []NotificationID{"p1/irq/SE"}, Note: "n"},
		&RepatriationRequested{Request: RepatriationRequest{ID: "R1", Country: "SE", Authority: "state-se", Persons: []PersonID{"p1", "p2"}, Note: "n"}},
		&RepatriationDecided{Request: "R1", Approved: []PersonID{"p1"}, Refused: []Refusal{{Person: "p2", Reason: "case pending"}}},
		&RepatriationReleased{Request: "R1", Persons: []PersonID{"p1"}, Place: "Semalka"},
		&RepatriationReceived{Request: "R1", Persons: []PersonID{"p1"}},
	}
}

func ptr[T any](v T) *T { return &v }

func TestNewPayload(t *testing.T) {
	for _, typ := range allTypes {
		p, err := NewPayload(typ)
		if err != nil {
			t.Errorf("NewPayload(%q): %v", typ, err)
			continue
		}
		if p.EventType() != typ {
			t.Errorf("NewPayload(%q) is a %T of type %q", typ, p, p.EventType())
		}
		if v := reflect.ValueOf(p); v.Kind() != reflect.Pointer || !v.Elem().IsZero() {
			t.Errorf("NewPayload(%q) = %#v, want a pointer to a zero payload", typ, p)
		}
	}
	for _, typ := range []EventType{"", "custody.teleported", "CUSTODY.ADMITTED"} {
		p, err := NewPayload(typ)
		var e *Error
		if p != nil || !errors.As(err, &e) || e.Code != Invalid || e.Event != typ {
			t.Errorf("NewPayload(%q) = %v, %v; want an invalid *custody.Error naming the type", typ, p, err)
		}
	}
}

func TestEventJSONRoundTrip(t *testing.T) {
	seen := map[EventType]bool{}
	occurred := time.Date(2026, 1, 20, 14, 30, 15, 123456789, time.FixedZone("AST", 3*3600))
	for _, p := range samplePayloads() {
		seen[p.EventType()] = true
		e := NewEvent(p, occurred, occurred.Add(36*time.Hour), Actor{User: "u1", Authority: sdf, Site: "hasakah"}, "key-"+string(p.EventType()))
		e.Salt = "AAECAwQFBgcICQoLDA0ODw"
		if e.OccurredAt.Location() != time.UTC || e.OccurredAt.Nanosecond() != 123456000 {
			t.Errorf("NewEvent did not normalise the time: %v", e.OccurredAt)
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		var got Event
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v\n%s", e.Type, err, b)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("%s: round trip\n got %#v\nwant %#v\njson %s", e.Type, got, e, b)
		}
		if b2, _ := json.Marshal(got); !bytes.Equal(b, b2) {
			t.Errorf("%s: encodings differ:\n%s\n%s", e.Type, b, b2)
		}
	}
	for _, typ := range allTypes {
		if !seen[typ] {
			t.Errorf("no sample payload of type %s", typ)
		}
	}
}

func TestEventUnmarshalErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		code Code // Invalid for an *Error, "" for any other error
	}{
		{`{"type":"custody.teleported","occurred_at":"2026-01-01T00:00:00Z","data":{}}`, Invalid},
		{`{"occurred_at":"2026-01-01T00:00:00Z","data":{}}`, Invalid},
		{`{"type":"custody.admitted","data":{"person":7}}`, ""},
		{`{"type":"custody.admitted","occurred_at":"yesterday"}`, ""},
		{`[]`, ""},
		{`{"type":"custody.admitted"`, ""},
	} {
		var e Event
		err := json.Unmarshal([]byte(c.in), &e)
		if err == nil {
			t.Errorf("%s: decoded, want an error", c.in)
			continue
		}
		if c.code != "" && ErrorCode(err) != c.code {
			t.Errorf("%s: error %v has code %q, want %q", c.in, err, ErrorCode(err), c.code)
		}
	}
}

func FuzzEventUnmarshal(f *testing.F) {
	for _, p := range samplePayloads() {
		e := NewEvent(p, t0, t0, Actor{User: "u", Authority: sdf}, "k")
		b, err := json.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"type":"custody.died"}`,
		`{"type":"custody.died","data":null}`,
		`{"TYPE":"custody.escaped","Data":{"PERSON":"p1"}}`,
		`{"type":"custody.admitted","occurred_at":"2026-01-01T00:00:00+05:30","data":{"person":"\u00e9\ud800"}}`,
		`{"type":"facility.registered","data":{"facility":{"place":{"lat":-0,"lon":1e-320}}}}`,
		`{"tYpe":"person.identity_corrected","dAtA":{"person":{"nAme":{"lAtin":[]}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var e Event
		if err := json.Unmarshal(b, &e); err != nil {
			return
		}
		if e.Data == nil || e.Data.EventType() != e.Type {
			t.Fatalf("decoded %q with data %#v", e.Type, e.Data)
		}
		b1, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("decoded but cannot encode: %v", err)
		}
		var e1 Event
		if err := json.Unmarshal(b1, &e1); err != nil {
			t.Fatalf("cannot decode own encoding %s: %v", b1, err)
		}
		b2, err := json.Marshal(e1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("unstable encoding:\n%s\n%s", b1, b2)
		}
		// The first decoding may keep an empty list the encoding omits;
		// from the second on, decoding is a fixed point.
		var e2 Event
		if err := json.Unmarshal(b2, &e2); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(e1, e2) {
			t.Fatalf("unstable decoding:\n%#v\n%#v", e1, e2)
		}
	})
}

// FuzzDecodeEvent: DecodeEvent (with its type hint) agrees with
// json.Unmarshal on every input, canonical or not.
func FuzzDecodeEvent(f *testing.F) {
	for _, p := range samplePayloads() {
		e := NewEvent(p, t0, t0, Actor{User: "u", Authority: sdf}, "k")
		e.Salt = "AAECAwQFBgcICQoLDA0ODw"
		b, err := ledgerCanonical(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(bytes.Replace(b, []byte(`"type":"`), []byte(`"type":"custody.died`), 1))
	}
	f.Add([]byte(`{"data":{"person":"p"},"type":"custody.died"}`))
	f.Add([]byte(`{"data":{},"type":"custody.escaped","type":"custody.died"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, gerr := DecodeEvent(b)
		var want Event
		werr := json.Unmarshal(b, &want)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("DecodeEvent error %v, json.Unmarshal error %v", gerr, werr)
		}
		if gerr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeEvent gives %#v, json.Unmarshal %#v", got, want)
		}
	})
}

// ledgerCanonical is RFC 8785 of e as the ledger makes it (json.Marshal,
// then canonical order), without importing the ledger.
func ledgerCanonical(e Event) ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	v := jsontext.Value(b)
	err = v.Canonicalize()
	return v, err
}
