package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// needTool returns the path of a command-line tool, skipping the test if it
// is missing (failing it when CUSTODY_TEST_REQUIRE=1: the test command
// installs it).
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CUSTODY_TEST_REQUIRE") == "1" {
			t.Fatalf("%s is missing (Debian: poppler-utils, zbar-tools): ./test.sh installs it", name)
		}
		t.Skipf("%s is missing", name)
	}
	return p
}

// artifacts returns a directory to keep a test's documents in for a
// reviewer: under CUSTODY_TEST_ARTIFACTS if set, else a temporary one.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CUSTODY_TEST_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "cmd", t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMovesOfTheDemo(t *testing.T) {
	db := demoDB(t)
	r := runOK(t, nil, "moves", "--db", db)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 50 || !strings.HasSuffix(lines[len(lines)-1], " moves") {
		t.Fatalf("moves lists %d lines:\n%.2000s", len(lines), r.stdout)
	}
	for _, l := range lines[1 : len(lines)-1] {
		if !strings.Contains(l, " closed ") {
			t.Errorf("a demo move is not closed: %s", l)
		}
	}
	if !strings.Contains(r.stdout, " air ") || !strings.Contains(r.stdout, " land ") {
		t.Errorf("the demo has no moves by air or none by land")
	}
	first := strings.Fields(lines[1])[0]
	r = runOK(t, nil, "moves", "--db", db, "--move", first)
	for _, want := range []string{"balance", "manifested", "handover", "departure", "arrival"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("moves --move %s lacks %q:\n%s", first, want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "does not balance") {
		t.Errorf("closed move %s does not balance:\n%s", first, r.stdout)
	}
}

func TestAlertsOfTheDemo(t *testing.T) {
	db := demoDB(t)
	r := runOK(t, nil, "alerts", "--db", db)
	if !strings.HasPrefix(r.stdout, "0 open discrepancy alerts") {
		t.Errorf("alerts: the demo ends with open alerts:\n%s", r.stdout)
	}
	if !regexp.MustCompile(`\n9 missing from custody`).MatchString(r.stdout) {
		t.Errorf("alerts: want the 9 still at large after Shaddadeh:\n%s", r.stdout)
	}
	r = runOK(t, nil, "alerts", "--db", db, "--all")
	if !strings.Contains(r.stdout, "closed by event") || !strings.Contains(r.stdout, "medical evacuation") {
		t.Errorf("alerts --all: want the count alert the medical evacuation explained:\n%s", r.stdout)
	}
}

// TestReceiptOffline prints the receipt of a demo handover, reads its QR
// code back from the rendered page as a scanner would, and checks the
// proof offline with only the published verifier key; then checks that an
// altered proof is refused.
func TestReceiptOffline(t *testing.T) {
	pdftoppm, zbarimg := needTool(t, "pdftoppm"), needTool(t, "zbarimg")
	db := demoDB(t)
	dir := artifacts(t)
	lines := strings.Split(runOK(t, nil, "moves", "--db", db).stdout, "\n")
	move := strings.Fields(lines[1])[0]
	pdf := filepath.Join(dir, "receipt.pdf")
	runOK(t, nil, "receipt", "--db", db, "--move", move, "--out", pdf)
	if out, err := exec.Command(pdftoppm, "-r", "150", "-png", pdf, filepath.Join(dir, "receipt")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "receipt*.png"))
	var proof string
	for _, p := range pages {
		out, _ := exec.Command(zbarimg, "--raw", "-q", p).Output()
		if s := string(out); strings.HasPrefix(s, "custody-receipt v1") {
			proof = strings.TrimSuffix(s, "\n")
		}
	}
	if proof == "" {
		t.Fatalf("no receipt QR code found on %v", pages)
	}
	vkey := verifierLine(t, demo.out)
	in := filepath.Join(dir, "proof.txt")
	if err := os.WriteFile(in, []byte(proof), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runOK(t, nil, "verify-receipt", "--verifier-key", vkey, "--in", in)
	if !strings.HasPrefix(r.stdout, "receipt verified: event ") {
		t.Fatalf("verify-receipt: %s", r.stdout)
	}
	// The same proof with its index changed must not verify.
	bad := regexp.MustCompile(`index (\d+)`).ReplaceAllStringFunc(proof, func(s string) string { return s + "1" })
	if err := os.WriteFile(in, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t.Context(), nil, "verify-receipt", "--verifier-key", vkey, "--in", in); r.code != exitMismatch || !strings.Contains(r.stderr, "does NOT verify") {
		t.Fatalf("verify-receipt of an altered proof: exit %d\n%s", r.code, r.stderr)
	}
}

func TestManifestAndWristbands(t *testing.T) {
	pdftotext := needTool(t, "pdftotext")
	db := demoDB(t)
	dir := artifacts(t)
	lines := strings.Split(runOK(t, nil, "moves", "--db", db).stdout, "\n")
	move := strings.Fields(lines[1])[0]
	out := filepath.Join(dir, "manifest.pdf")
	r := runOK(t, nil, "manifest", "--db", db, "--move", move, "--out", out)
	files := regexp.MustCompile(`wrote (\S+)`).FindAllStringSubmatch(r.stdout, -1)
	if len(files) == 0 {
		t.Fatalf("manifest wrote nothing: %s", r.stdout)
	}
	detail := runOK(t, nil, "moves", "--db", db, "--move", move).stdout
	text, err := exec.Command(pdftotext, "-layout", files[0][1], "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), move) || !regexp.MustCompile(`NES-\d{6}`).Match(text) {
		t.Errorf("manifest text lacks the move or person IDs:\n%.1500s\n(move:\n%s)", text, detail)
	}
	if !strings.Contains(string(text), "frozen") {
		t.Errorf("the manifest of a move that boarded does not say it is frozen:\n%.800s", text)
	}
	wb := filepath.Join(dir, "wristbands.pdf")
	runOK(t, nil, "wristbands", "--db", db, "--move", move, "--limit", "16", "--out", wb)
	text, err = exec.Command(pdftotext, wb, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`NES-\d{6}`).FindAll(text, -1)); n < 16 {
		t.Errorf("wristbands: %d person IDs in the text, want 16", n)
	}
	if r := run(t.Context(), nil, "manifest", "--db", db, "--move", "no-such-move", "--out", filepath.Join(dir, "x.pdf")); r.code != 1 || !strings.Contains(r.stderr, "no move") {
		t.Errorf("manifest of an unknown move: exit %d, %s", r.code, r.stderr)
	}
}
