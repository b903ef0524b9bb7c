package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
)

// Users, sessions and API tokens. They live beside the log, not in it:
// nothing in the log depends on them, and verify does not rebuild them.
// Secrets are kept only as hashes (argon2id for passwords, SHA-256 for the
// random session and API tokens).

// UserRecord is a user as listed.
type UserRecord struct {
	custody.User
	CreatedAt   time.Time `json:"created_at"`
	HasPassword bool      `json:"has_password"`
	Tokens      int       `json:"tokens"`
}

func (s *Store) writable(what string) error {
	if s.writeDB.DB == nil {
		return fmt.Errorf("%s: store is read-only", what)
	}
	return nil
}

// AddUser adds a user with a password hash (empty for a machine user that
// signs in only with API tokens).
func (s *Store) AddUser(ctx context.Context, u custody.User, passwordHash string) error {
	if err := s.writable("add user"); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("user %q: %v", u.Name, err)}
	}
	doc, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("add user %s: %w", u.Name, err)
	}
	res, err := s.writeDB.ExecContext(ctx, `INSERT INTO users (name, doc, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		u.Name, string(doc), passwordHash, formatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("add user %s: %w", u.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &custody.Error{Code: custody.Conflict, Msg: fmt.Sprintf("user %q already exists", u.Name)}
	}
	return nil
}

// User returns a user and their password hash.
func (s *Store) User(ctx context.Context, name string) (*custody.User, string, error) {
	var doc, hash string
	err := s.readDB.QueryRowContext(ctx, `SELECT doc, password_hash FROM users WHERE name = ?`, name).Scan(&doc, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no user %q", name)}
	}
	if err != nil {
		return nil, "", fmt.Errorf("read user %s: %w", name, err)
	}
	u, err := decodeUser(doc)
	if err != nil {
		return nil, "", fmt.Errorf("read user %s: %w", name, err)
	}
	return u, hash, nil
}

func decodeUser(doc string) (*custody.User, error) {
	var u custody.User
	if err := json.Unmarshal([]byte(doc), &u); err != nil {
		return nil, fmt.Errorf("decode user: %w", err)
	}
	return &u, nil
}

// Users lists every user, by name.
func (s *Store) Users(ctx context.Context) ([]UserRecord, error) {
	rows, err := s.readDB.QueryContext(ctx, `SELECT u.doc, u.password_hash, u.created_at,
		(SELECT count(*) FROM api_tokens t WHERE t.user_name = u.name)
		FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []UserRecord
	for rows.Next() {
		var doc, hash, created string
		var tokens int
		if err := rows.Scan(&doc, &hash, &created, &tokens); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u, err := decodeUser(doc)
		if err != nil {
			return nil, err
		}
		at, err := parseTime(created)
		if err != nil {
			return nil, err
		}
		out = append(out, UserRecord{User: *u, CreatedAt: at, HasPassword: hash != "", Tokens: tokens})
	}
	return out, rows.Err()
}

// SetUserDisabled disables (or enables again) a user. Disabling ends the
// user's sessions at once; their API tokens stop working while disabled.
func (s *Store) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	if err := s.writable("disable user"); err != nil {
		return err
	}
	tx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("disable user %s: %w", name, err)
	}
	defer tx.Rollback()
	var doc string
	err = tx.QueryRowContext(ctx, `SELECT doc FROM users WHERE name = ?`, name).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no user %q", name)}
	}
	if err != nil {
		return fmt.Errorf("disable user %s: %w", name, err)
	}
	u, err := decodeUser(doc)
	if err != nil {
		return err
	}
	u.Disabled = disabled
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET doc = ? WHERE name = ?`, string(b), name); err != nil {
		return fmt.Errorf("disable user %s: %w", name, err)
	}
	if disabled {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, name); err != nil {
			return fmt.Errorf("end sessions of %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("disable user %s: %w", name, err)
	}
	return nil
}

// SetPassword replaces a user's password hash and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, name, passwordHash string) error {
	if err := s.writable("set password"); err != nil {
		return err
	}
	tx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, passwordHash, name)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no user %q", name)}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, name); err != nil {
		return fmt.Errorf("end sessions of %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	return nil
}

// newSecret returns a random token with a prefix that says what it is.
func newSecret(prefix string) (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := prefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, hashSecret(tok)
}

func hashSecret(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// Session prefixes tell tokens apart in logs and leaks.
const (
	sessionPrefix = "css_"
	tokenPrefix   = "cst_"
)

// Session is a signed-in browser.
type Session struct {
	User    *custody.User
	CSRF    string // the form token of this session
	Expires time.Time
}

// NewSession starts a session for user, valid for ttl; it returns the
// session token (for the cookie) and the session.
func (s *Store) NewSession(ctx context.Context, user string, ttl time.Duration) (string, *Session, error) {
	if err := s.writable("new session"); err != nil {
		return "", nil, err
	}
	u, _, err := s.User(ctx, user)
	if err != nil {
		return "", nil, err
	}
	if u.Disabled {
		return "", nil, &custody.Error{Code: custody.Unauthenticated, Msg: "this user is disabled"}
	}
	tok, h := newSecret(sessionPrefix)
	csrf, _ := newSecret("")
	now := time.Now()
	exp := now.Add(ttl)
	if _, err := s.writeDB.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		h, user, csrf, formatTime(now), formatTime(exp)); err != nil {
		return "", nil, fmt.Errorf("new session for %s: %w", user, err)
	}
	// Sessions expired a day ago are swept as new ones start.
	if _, err := s.writeDB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, formatTime(now.Add(-24*time.Hour))); err != nil {
		s.log.WarnContext(ctx, "sweep expired sessions", "err", err)
	}
	return tok, &Session{User: u, CSRF: csrf, Expires: exp}, nil
}

var errBadCredentials = &custody.Error{Code: custody.Unauthenticated, Msg: "not signed in, or the session has ended"}

// SessionOf returns the live session of a session token.
func (s *Store) SessionOf(ctx context.Context, token string) (*Session, error) {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil, errBadCredentials
	}
	var doc, csrf, exp string
	err := s.readDB.QueryRowContext(ctx, `SELECT u.doc, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?`,
		hashSecret(token)).Scan(&doc, &csrf, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	expires, err := parseTime(exp)
	if err != nil {
		return nil, err
	}
	if time.Now().After(expires) {
		return nil, errBadCredentials
	}
	u, err := decodeUser(doc)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errBadCredentials
	}
	return &Session{User: u, CSRF: csrf, Expires: expires}, nil
}

// EndSession ends a session (sign out).
func (s *Store) EndSession(ctx context.Context, token string) error {
	if err := s.writable("end session"); err != nil {
		return err
	}
	if _, err := s.writeDB.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// NewAPIToken issues an API token for a user; the token is shown once and
// only its hash is kept.
func (s *Store) NewAPIToken(ctx context.Context, user, label string) (string, error) {
	if err := s.writable("new API token"); err != nil {
		return "", err
	}
	if _, _, err := s.User(ctx, user); err != nil {
		return "", err
	}
	tok, h := newSecret(tokenPrefix)
	if _, err := s.writeDB.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_name, label, created_at) VALUES (?, ?, ?, ?)`,
		h, user, label, formatTime(time.Now())); err != nil {
		return "", fmt.Errorf("new API token for %s: %w", user, err)
	}
	return tok, nil
}

// RevokeAPITokens revokes every API token of a user.
func (s *Store) RevokeAPITokens(ctx context.Context, user string) (int64, error) {
	if err := s.writable("revoke API tokens"); err != nil {
		return 0, err
	}
	res, err := s.writeDB.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_name = ?`, user)
	if err != nil {
		return 0, fmt.Errorf("revoke API tokens of %s: %w", user, err)
	}
	return res.RowsAffected()
}

// TokenUser returns the user of an API token.
func (s *Store) TokenUser(ctx context.Context, token string) (*custody.User, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, &custody.Error{Code: custody.Unauthenticated, Msg: "the API token is not valid"}
	}
	var doc string
	err := s.readDB.QueryRowContext(ctx, `SELECT u.doc FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.token_hash = ?`,
		hashSecret(token)).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &custody.Error{Code: custody.Unauthenticated, Msg: "the API token is not valid"}
	}
	if err != nil {
		return nil, fmt.Errorf("read API token: %w", err)
	}
	u, err := decodeUser(doc)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, &custody.Error{Code: custody.Unauthenticated, Msg: "the API token's user is disabled"}
	}
	return u, nil
}
