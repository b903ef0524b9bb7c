package custody

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Consular notification (Vienna Convention on Consular Relations, Art. 36):
// when a foreign national comes into the custody of a state authority, that
// authority must tell the person's state "without delay". The notification
// is created by the very event that puts the person in that custody (an
// admission, a handover received, a control change, a transfer), in the same
// transaction; the authority then records its delivery, and the state's
// consular officers acknowledge it. A notification not delivered within the
// deployment's window is overdue.
//
// A non-state force (the SDF) is not a party to the Convention and creates
// none; a person's own state never notifies itself.

// NotificationID identifies a notification: one per person, custodial
// authority and state, "<person>/<authority>/<country>".
type NotificationID string

// NotificationIDOf returns the ID of the notification of person p's custody
// by authority a to the state of country.
func NotificationIDOf(p PersonID, a AuthorityID, country string) NotificationID {
	return NotificationID(string(p) + "/" + string(a) + "/" + country)
}

// Event types of consular notification.
const (
	TypeConsularNotified     EventType = "consular.notified"
	TypeConsularAcknowledged EventType = "consular.acknowledged"
)

// RuleNotification: a notification is delivered by the authority that owes
// it, once, and acknowledged by its state, after delivery.
const RuleNotification Rule = "notification"

// NotificationStatus is where a notification stands.
type NotificationStatus string

// Notification statuses.
const (
	NotificationPending      NotificationStatus = "pending"      // owed, not yet delivered
	NotificationDelivered    NotificationStatus = "delivered"    // delivered to the state's consular post
	NotificationAcknowledged NotificationStatus = "acknowledged" // the state acknowledged receipt
)

// Notification is one consular notification.
type Notification struct {
	ID        NotificationID     `json:"id"`
	Person    PersonID           `json:"person"`
	Authority AuthorityID        `json:"authority"` // the custodial authority that owes it
	Country   string             `json:"country"`   // the state to notify (ISO 3166-1 alpha-2)
	Status    NotificationStatus `json:"status"`
	Created   int64              `json:"created"`    // log index of the event that put the person in custody
	CustodyAt time.Time          `json:"custody_at"` // when the person came into the authority's custody

	Delivered   int64     `json:"delivered,omitempty"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	Means       string    `json:"means,omitempty"` // note verbale, email to the consular section...
	To          string    `json:"to,omitempty"`    // the post notified
	Reference   string    `json:"reference,omitempty"`

	Acknowledged   int64     `json:"acknowledged,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
}

// Overdue reports whether the notification is still undelivered window
// after the person came into custody, at now.
func (n *Notification) Overdue(now time.Time, window time.Duration) bool {
	return n.Status == NotificationPending && now.Sub(n.CustodyAt) > window
}

// DefaultNotifyWithin is the default window for "without delay": the
// deployment's setting (serve --notify-within) overrides it.
const DefaultNotifyWithin = 72 * time.Hour

// ConsularNotified records the delivery of notifications to one state,
// usually a note verbale listing several nationals.
type ConsularNotified struct {
	Country       string           `json:"country"`
	Notifications []NotificationID `json:"notifications"`
	Means         string           `json:"means"`
	To            string           `json:"to"`
	Reference     string           `json:"reference,omitempty"`
}

// ConsularAcknowledged records the state's acknowledgement of
// notifications delivered to it.
type ConsularAcknowledged struct {
	Country       string           `json:"country"`
	Notifications []NotificationID `json:"notifications"`
	Note          string           `json:"note,omitempty"`
}

func (*ConsularNotified) EventType() EventType     { return TypeConsularNotified }
func (*ConsularAcknowledged) EventType() EventType { return TypeConsularAcknowledged }

// owesNotification reports whether authority a owes the states of foreign
// nationals a notification: a state authority with a country.
func owesNotification(a *Authority) bool {
	return a != nil && a.Country != "" && (a.Kind == Ministry || a.Kind == Coalition)
}

// notifyCustody creates the notifications owed for the persons event e (log
// index seq) put in a new authority's custody.
func (s *State) notifyCustody(seq int64, e *Event, u *journal) {
	for _, id := range u.custody {
		ps := s.Persons[id]
		l := ps.Location
		if !l.Status.InCustody() {
			continue
		}
		a := s.Authorities[l.Authority]
		if !owesNotification(a) {
			continue
		}
		for _, c := range ps.Person.Nationalities {
			if c == a.Country {
				continue
			}
			nid := NotificationIDOf(id, a.ID, c)
			if _, ok := s.Notifications[nid]; ok {
				continue // one notification per person, authority and state
			}
			s.Notifications[nid] = &Notification{ID: nid, Person: id, Authority: a.ID, Country: c,
				Status: NotificationPending, Created: seq, CustodyAt: e.OccurredAt}
			u.add(func() { delete(s.Notifications, nid) })
			u.notification(nid)
		}
	}
	u.custody = u.custody[:0]
}

func (s *State) needNotifications(e *Event, country string, ids []NotificationID) ([]*Notification, error) {
	if !isCountryCode(country) {
		return nil, s.reject(e, "", "", RuleRequired, "country %q is not an ISO 3166-1 alpha-2 code", country)
	}
	if len(ids) == 0 {
		return nil, s.reject(e, "", "", RuleRequired, "notifications is empty")
	}
	out := make([]*Notification, 0, len(ids))
	for i, id := range ids {
		n, ok := s.Notifications[id]
		switch {
		case !ok:
			return nil, &Error{Code: NotFound, Rule: RuleNotification, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf("notification %d: no notification %q", i+1, id)}
		case n.Country != country:
			return nil, s.reject(e, n.Person, "", RuleNotification, "notification %d (%s) is owed to %s, not %s", i+1, id, n.Country, country)
		case slices.Contains(ids[:i], id):
			return nil, s.reject(e, n.Person, "", RuleNotification, "notification %d (%s) is listed twice", i+1, id)
		}
		out = append(out, n)
	}
	return out, nil
}

func (s *State) applyConsularNotified(seq int64, e *Event, d *ConsularNotified, u *journal) error {
	ns, err := s.needNotifications(e, d.Country, d.Notifications)
	if err != nil {
		return err
	}
	if strings.TrimSpace(d.Means) == "" || strings.TrimSpace(d.To) == "" {
		return s.reject(e, "", "", RuleRequired, "a delivery names its means and the post notified")
	}
	for i, n := range ns {
		switch {
		case n.Authority != e.By.Authority:
			return s.reject(e, n.Person, "", RuleNotification, "notification %d (%s) is owed by %s, not %s", i+1, n.ID, n.Authority, e.By.Authority)
		case n.Status != NotificationPending:
			return s.reject(e, n.Person, "", RuleNotification, "notification %d (%s) was already delivered (log index %d)", i+1, n.ID, n.Delivered)
		}
	}
	for _, n := range ns {
		old := *n
		n.Status, n.Delivered, n.DeliveredAt, n.Means, n.To, n.Reference = NotificationDelivered, seq, e.OccurredAt, d.Means, d.To, d.Reference
		u.add(func() { *n = old })
		u.notification(n.ID)
		u.person(n.Person)
	}
	return nil
}

func (s *State) applyConsularAcknowledged(seq int64, e *Event, d *ConsularAcknowledged, u *journal) error {
	ns, err := s.needNotifications(e, d.Country, d.Notifications)
	if err != nil {
		return err
	}
	for i, n := range ns {
		if n.Status != NotificationDelivered {
			return s.reject(e, n.Person, "", RuleNotification, "notification %d (%s) is %s: only a delivered notification is acknowledged", i+1, n.ID, n.Status)
		}
	}
	for _, n := range ns {
		old := *n
		n.Status, n.Acknowledged, n.AcknowledgedAt, n.AcknowledgedBy = NotificationAcknowledged, seq, e.OccurredAt, e.By.User
		u.add(func() { *n = old })
		u.notification(n.ID)
		u.person(n.Person)
	}
	return nil
}

// Person returns the person a notification ID names.
func (id NotificationID) Person() PersonID {
	s := string(id)
	for range 2 {
		i := strings.LastIndexByte(s, '/')
		if i < 0 {
			return ""
		}
		s = s[:i]
	}
	return PersonID(s)
}
