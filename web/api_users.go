package web

import (
	"fmt"
	"net/http"
	"slices"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/sqlstore"
)

// Users, for an administrator: list, add (with a generated password shown
// once), disable, issue an API token (shown once).

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	if users == nil {
		users = []sqlstore.UserRecord{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

// newUserRequest is a user to add.
type newUserRequest struct {
	Name          string               `json:"name"`
	Role          custody.Role         `json:"role"`
	Authority     custody.AuthorityID  `json:"authority,omitempty"`
	Facilities    []custody.FacilityID `json:"facilities,omitempty"`
	Nationalities []string             `json:"nationalities,omitempty"`
}

// newUserJSON answers a new user with their password, shown this once.
type newUserJSON struct {
	User     custody.User `json:"user"`
	Password string       `json:"password"`
}

// apiAddUser adds a user with a generated password.
func (s *Server) apiAddUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var req newUserRequest
	if err := decodeJSON(w, r, 64<<10, &req); err != nil {
		return err
	}
	u := custody.User{Name: req.Name, Role: req.Role, Authority: req.Authority, Facilities: req.Facilities, Nationalities: req.Nationalities}
	if err := u.Validate(); err != nil {
		return badInput("user: %v", err)
	}
	if err := s.checkUserRefs(r, &u); err != nil {
		return err
	}
	pw := password.Generate()
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return fmt.Errorf("add user %s: %w", u.Name, err)
	}
	if err := s.store.AddUser(ctx, u, hash); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "user added", "by", userOf(r).Name, "user", u.Name, "role", u.Role)
	return writeJSON(w, http.StatusCreated, newUserJSON{User: u, Password: pw})
}

// checkUserRefs checks that a user's authority and facilities are
// registered.
func (s *Server) checkUserRefs(r *http.Request, u *custody.User) error {
	ctx := r.Context()
	if u.Authority != "" {
		as, err := s.store.Authorities(ctx)
		if err != nil {
			return err
		}
		if as[u.Authority] == nil {
			return badInput("member /authority: %q is not a registered authority", u.Authority)
		}
	}
	if len(u.Facilities) > 0 {
		fs, err := s.store.Facilities(ctx)
		if err != nil {
			return err
		}
		for i, f := range u.Facilities {
			if !slices.ContainsFunc(fs, func(x sqlstore.FacilitySummary) bool { return x.ID == f }) {
				return badInput("member /facilities/%d: %q is not a registered facility", i, f)
			}
		}
	}
	return nil
}

// apiDisableUser disables a user: their sessions end and their tokens
// stop working.
func (s *Server) apiDisableUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("name")
	if name == userOf(r).Name {
		return custody.Errorf(custody.Conflict, "you may not disable yourself: ask another administrator")
	}
	if err := s.store.SetUserDisabled(ctx, name, true); err != nil {
		return err
	}
	s.forgetTokens() // the user's tokens stop working now, not when the cache forgets them
	u, _, err := s.store.User(ctx, name)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "user disabled", "by", userOf(r).Name, "user", name)
	return writeJSON(w, http.StatusOK, map[string]any{"user": u})
}

type tokenRequest struct {
	Label string `json:"label"`
}

// tokenJSON answers a new API token, shown this once.
type tokenJSON struct {
	User  string `json:"user"`
	Label string `json:"label"`
	Token string `json:"token"`
}

// apiNewToken issues an API token for a user.
func (s *Server) apiNewToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("name")
	req := tokenRequest{Label: "api"}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, 64<<10, &req); err != nil {
			return err
		}
	}
	if len(req.Label) > 100 {
		return badInput("member /label is longer than 100 characters")
	}
	tok, err := s.store.NewAPIToken(ctx, name, req.Label)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "API token issued", "by", userOf(r).Name, "user", name, "label", req.Label)
	return writeJSON(w, http.StatusCreated, tokenJSON{User: name, Label: req.Label, Token: tok})
}
