package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// The document tests render real PDFs, turn them into PNG pages with
// pdftoppm at 150 dpi, decode the QR codes on those pages with zbarimg, and
// read the text back with pdftotext (poppler-utils, zbar-tools).

func requireTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s is not installed (Debian: apt-get install poppler-utils zbar-tools)", tool)
			if os.Getenv("CUSTODY_TEST_REQUIRE") == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// artifactDir is where the PNG pages of a document are kept for a person to
// look at: $CUSTODY_TEST_ARTIFACTS/report, or os.TempDir()/custody-artifacts/report.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CUSTODY_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "custody-artifacts")
	}
	dir = filepath.Join(dir, "report")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("creating the artifact directory: %v", err)
	}
	return dir
}

type rendered struct {
	pdf   string
	pages []page
}

type page struct {
	png   string
	text  string   // pdftotext -layout of this page
	codes []string // QR payloads zbarimg decoded on this page
}

// renderAndRead renders a document with fn, rasterises it, decodes every
// page's QR codes and extracts every page's text. It copies the PDF and the
// PNG pages to the artifact directory as NAME.pdf and NAME-N.png.
func renderAndRead(t *testing.T, name string, fn func(io.Writer) error) rendered {
	t.Helper()
	requireTools(t)
	tmp := t.TempDir()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatalf("rendering %s: %v", name, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || !bytes.Contains(buf.Bytes()[max(0, buf.Len()-64):], []byte("%%EOF")) {
		t.Fatalf("%s: not a complete PDF (%d bytes)", name, buf.Len())
	}
	r := rendered{pdf: filepath.Join(tmp, name+".pdf")}
	if err := os.WriteFile(r.pdf, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "pdftoppm", "-r", "150", "-png", r.pdf, filepath.Join(tmp, name))
	pngs, _ := filepath.Glob(filepath.Join(tmp, name+"-*.png"))
	slices.SortFunc(pngs, func(a, b string) int { return pageNumber(a) - pageNumber(b) })
	if len(pngs) == 0 {
		t.Fatalf("pdftoppm made no page of %s", name)
	}
	text := run(t, "pdftotext", "-layout", "-enc", "UTF-8", r.pdf, "-")
	texts := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(texts) != len(pngs) {
		t.Fatalf("%s: pdftotext found %d pages, pdftoppm %d", name, len(texts), len(pngs))
	}
	art := artifactDir(t)
	old, _ := filepath.Glob(filepath.Join(art, name+"-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	copyFile(t, r.pdf, filepath.Join(art, name+".pdf"))
	for i, png := range pngs {
		r.pages = append(r.pages, page{png: png, text: texts[i], codes: decodeQR(t, png)})
		copyFile(t, png, filepath.Join(art, fmt.Sprintf("%s-%d.png", name, i+1)))
	}
	t.Logf("%s: %d pages; PDF and PNG pages in %s", name, len(pngs), art)
	return r
}

var pageNumberRE = regexp.MustCompile(`-(\d+)\.png$`)

func pageNumber(path string) int {
	m := pageNumberRE.FindStringSubmatch(path)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// decodeQR returns the payloads of the QR codes zbarimg finds on a PNG page.
// zbarimg --raw ends each payload with a newline, so it cannot tell two
// codes from one payload holding a newline (the receipt's proof does); the
// number of codes is read from zbarimg --xml first. (The XML's own copy of
// a payload is not used: zbarimg 0.23 garbles bytes over 0x7F when it
// writes them in base64 there.)
func decodeQR(t *testing.T, png string) []string {
	t.Helper()
	n := len(xmlSymbolRE.FindAllString(zbarimg(t, png, "--xml"), -1))
	if n == 0 {
		return nil
	}
	raw := strings.TrimSuffix(zbarimg(t, png, "--raw"), "\n")
	if n == 1 {
		return []string{raw}
	}
	codes := strings.Split(raw, "\n")
	if len(codes) != n {
		t.Fatalf("zbarimg %s: %d codes, but %d lines of payload: a payload holds a newline", png, n, len(codes))
	}
	return codes
}

var xmlSymbolRE = regexp.MustCompile(`<symbol `)

// zbarimg runs zbarimg on png, for QR codes only, and returns its output
// (empty when it finds no code).
func zbarimg(t *testing.T, png, format string) string {
	t.Helper()
	var stdout bytes.Buffer
	cmd := exec.Command("zbarimg", format, "-q", "-Sdisable", "-Sqrcode.enable", png)
	cmd.Stdout = &stdout // stderr carries D-Bus noise on machines without a bus
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 { // no symbol found
		return ""
	}
	if err != nil {
		t.Fatalf("zbarimg %s %s: %v", format, png, err)
	}
	return stdout.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// arabicRuns returns the right-to-left runs pdftotext printed on a page.
// For text drawn by this package pdftotext prints each run between U+202B
// (RIGHT-TO-LEFT EMBEDDING) and U+202C (POP DIRECTIONAL FORMATTING), in
// logical order, made of the presentation forms that were drawn: e.g. for
// "أحمد علي" it prints "\u202b" + "ﺃﺣﻤﺪ ﻋﻠﻲ" + "\u202c" (U+FE83 FEA3 FEE4
// FEAA 0020 FECB FEE0 FEF2). Each run is returned trimmed, as printed.
func arabicRuns(text string) []string {
	var runs []string
	for {
		i := strings.IndexRune(text, '\u202b')
		if i < 0 {
			return runs
		}
		text = text[i+len("\u202b"):]
		j := strings.IndexRune(text, '\u202c')
		if j < 0 {
			j = strings.IndexByte(text, '\n')
			if j < 0 {
				j = len(text)
			}
		}
		runs = append(runs, strings.TrimSpace(text[:j]))
		text = text[j:]
	}
}

// checkArabicRuns asserts that each of names (letters and spaces) was
// printed, joined: a run on the page that is made of presentation forms
// only, passes the joining check, and whose NFKC form is the name.
func checkArabicRuns(t *testing.T, where, text string, names []string) {
	t.Helper()
	runs := arabicRuns(text)
	byName := map[string]string{}
	for _, r := range runs {
		byName[norm.NFKC.String(r)] = r
	}
	for _, n := range names {
		r, ok := byName[n]
		if !ok {
			t.Errorf("%s: Arabic name %q not found in the text (runs printed: %q)", where, n, runs)
			continue
		}
		for _, c := range r {
			if _, nominal := arabicForms[c]; nominal {
				t.Errorf("%s: %q printed with the unshaped letter U+%04X: %s", where, n, c, runesOf(r))
				break
			}
		}
		if errs := joinErrors(r); len(errs) > 0 {
			t.Errorf("%s: %q is not joined right (%s): %v", where, n, runesOf(r), errs)
		}
	}
}

// Realistic names: [Arabic, Latin].
var (
	firstNames = [][2]string{
		{"محمد", "Mohammed"}, {"أحمد", "Ahmed"}, {"علي", "Ali"}, {"عمر", "Omar"}, {"خالد", "Khalid"},
		{"يوسف", "Youssef"}, {"إبراهيم", "Ibrahim"}, {"عبد الله", "Abdullah"}, {"حسن", "Hassan"}, {"مصطفى", "Mustafa"},
	}
	womenNames = [][2]string{
		{"فاطمة", "Fatima"}, {"عائشة", "Aisha"}, {"زينب", "Zainab"}, {"ليلى", "Layla"}, {"هيفاء", "Haifa"},
	}
	familyNames = [][2]string{
		{"الحسيني", "al-Husseini"}, {"العبيدي", "al-Obaidi"}, {"الجبوري", "al-Jubouri"}, {"الدليمي", "al-Dulaimi"},
		{"الشمري", "al-Shammari"}, {"التميمي", "al-Tamimi"}, {"الكردي", "al-Kurdi"}, {"السوري", "al-Souri"},
	}
)

const longLatin = "Abu Mohammed Abdullah bin Ibrahim bin Khalil al-Husseini al-Baghdadi al-Mosuli al-Iraqi al-Shami"
const longArabic = "أبو محمد عبد الله بن إبراهيم بن خليل بن إسماعيل الحسيني البغدادي الموصلي العراقي الشامي"

func wristbandCode(id string) string { return fmt.Sprintf("CUSTODY1:%s:%02d", id, len(id)*7%97) }

func testManifest(n int) Manifest {
	m := Manifest{
		Move: "MV-20260121-01", Allocation: "ALLOC-1", Mode: "land",
		Vehicle: "bus-03", VehicleLabel: "armoured bus, plate 12-345",
		Origin: "Ghwayran detention centre (Hasakah)", Destination: "Al-Karkh central prison (Baghdad)",
		Escort:    "Iraqi Counter-Terrorism Service, convoy 3",
		Departure: time.Date(2026, 1, 21, 6, 30, 0, 0, time.UTC),
		Frozen:    "frozen at boarding, log index 81234",
		Generated: time.Date(2026, 1, 21, 5, 58, 0, 0, time.UTC),
	}
	cats := []string{"man", "man", "man", "woman", "boy", "girl"}
	for i := range n {
		id := fmt.Sprintf("NES-%06d", 123+i*7)
		cat := cats[i%len(cats)]
		first := firstNames[i%len(firstNames)]
		if cat == "woman" || cat == "girl" {
			first = womenNames[i%len(womenNames)]
		}
		father := firstNames[(i/len(firstNames)+i+3)%len(firstNames)]
		family := familyNames[(i/len(firstNames))%len(familyNames)]
		link := [2]string{"بن", "bin"}
		if cat == "woman" || cat == "girl" {
			link = [2]string{"بنت", "bint"}
		}
		l := ManifestLine{
			Seat: strconv.Itoa(i + 1), PersonID: id, RiskTier: i % 4, Category: cat, QR: wristbandCode(id),
			Arabic: first[0] + " " + link[0] + " " + father[0] + " " + family[0],
			Latin:  first[1] + " " + link[1] + " " + father[1] + " " + family[1],
		}
		if i == 0 {
			l.Arabic, l.Latin = "محمد بن عبد الله الحسيني", "Mohammed bin Abdullah al-Husseini"
		}
		m.Lines = append(m.Lines, l)
	}
	return m
}

func TestManifest(t *testing.T) {
	m := testManifest(80)
	const long = 9 // a line whose names cannot fit their cells
	m.Lines[long].Latin, m.Lines[long].Arabic = longLatin, longArabic
	m.Lines[12].Arabic = "" // no Arabic name recorded
	doc := renderAndRead(t, "manifest", func(w io.Writer) error { return RenderManifest(w, m) })

	n := len(doc.pages)
	if n < 4 {
		t.Fatalf("80 lines on %d pages: want several pages", n)
	}
	seen := map[string]int{} // person ID → page
	for i, p := range doc.pages {
		where := fmt.Sprintf("page %d", i+1)
		for _, s := range []string{"Transfer manifest", "MV-20260121-01", "ALLOC-1", "bus-03 — armoured bus, plate 12-345",
			"Ghwayran detention centre (Hasakah)", "Al-Karkh central prison (Baghdad)", "Iraqi Counter-Terrorism Service, convoy 3",
			"2026-01-21 06:30 UTC", "frozen at boarding, log index 81234", "80 persons: 41 men, 13 women, 13 boys, 13 girls",
			fmt.Sprintf("page %d of %d", i+1, n)} {
			if !strings.Contains(p.text, s) {
				t.Errorf("%s: header or footer text %q missing", where, s)
			}
		}
		// The lines on this page, found by person ID, and their QR codes.
		var want []string
		var arabic []string
		for k, l := range m.Lines {
			if !regexp.MustCompile(`(?m)^\s*` + l.Seat + `\s+` + l.PersonID + `\s`).MatchString(p.text) {
				continue
			}
			if prev, dup := seen[l.PersonID]; dup {
				t.Errorf("%s on page %d and page %d", l.PersonID, prev, i+1)
			}
			seen[l.PersonID] = i + 1
			want = append(want, l.QR)
			if k != long {
				if !strings.Contains(p.text, l.PersonID+"   ") || !strings.Contains(p.text, l.Latin) {
					t.Errorf("%s: line %d: Latin name %q not printed as given", where, k+1, l.Latin)
				}
				if l.Arabic != "" {
					arabic = append(arabic, l.Arabic)
				}
			}
			if tier := []string{"n/a", "1", "2", "3"}[l.RiskTier]; !regexp.MustCompile(l.PersonID + `.*` + l.Category + `\s+` + regexp.QuoteMeta(tier) + `\s*$`).MatchString(lineOf(p.text, l.PersonID)) {
				t.Errorf("%s: line %d: category %q and risk %q not at the end of %q", where, k+1, l.Category, tier, lineOf(p.text, l.PersonID))
			}
		}
		slices.Sort(want)
		got := slices.Sorted(slices.Values(p.codes))
		if !slices.Equal(got, want) {
			t.Errorf("%s: QR codes decoded %q\nwant (one per line on the page) %q", where, got, want)
		}
		checkArabicRuns(t, where, p.text, arabic)
	}
	if len(seen) != len(m.Lines) {
		t.Errorf("%d of %d lines found in the text", len(seen), len(m.Lines))
	}

	// The long names are shrunk and then cut with an ellipsis, not spilled
	// over the next column.
	p := doc.pages[seen[m.Lines[long].PersonID]-1]
	line := lineOf(p.text, m.Lines[long].PersonID)
	if strings.Contains(line, longLatin) || !strings.Contains(line, "Abu Mohammed Abdullah") || !strings.Contains(line, "…") {
		t.Errorf("long Latin name not cut to its cell: %q", line)
	}
	runs := arabicRuns(line)
	if len(runs) != 1 || !strings.HasPrefix(norm.NFKC.String(runs[0]), "أبو محمد عبد الله") || norm.NFKC.String(runs[0]) == longArabic {
		t.Errorf("long Arabic name not cut to its cell: %q", runs)
	}
	checkInsideColumns(t, doc.pdf, margin, pageW-margin)
}

// lineOf returns the line of text that holds s.
func lineOf(text, s string) string {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

var wordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)

// checkInsideColumns asserts that no word is printed past the page margins
// (left and right, in points).
func checkInsideColumns(t *testing.T, pdf string, left, right float64) {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", pdf, "-")
	words := wordRE.FindAllStringSubmatch(out, -1)
	if len(words) == 0 {
		t.Fatal("pdftotext -bbox found no word")
	}
	for _, w := range words {
		x0, _ := strconv.ParseFloat(w[1], 64)
		x1, _ := strconv.ParseFloat(w[2], 64)
		if x0 < left-1 || x1 > right+1 {
			t.Errorf("word %q printed at x %.1f–%.1f, outside the margins %.0f–%.0f", w[3], x0, x1, left, right)
		}
	}
}

func TestReceipt(t *testing.T) {
	m := testManifest(60)
	cp := "custody.opencustody.example/log\n81300\nq1w2e3r4t5y6u7i8o9p0AsDfGhJkLzXcVbNm123456789=\n\n" +
		"— custody.opencustody.example/log Az3grlgtzPICa5OS8npVmf1Myq7ZUdPX8o/SUCclQwr5A5wv0wvNDx42LpXxu7M0ESkGiI+D6y6LBbOr1ax9uDrsUL0=\n"
	var proof strings.Builder
	proof.WriteString("custody-proof/1\nindex 81299\nleaf q1w2e3r4t5y6u7i8o9p0AsDfGhJkLzXcVbNm123456789=\n")
	for i := range 21 { // an inclusion proof of 21 hashes
		h := bytes.Repeat([]byte{byte(i * 13), byte(i*7 + 1), byte(255 - i)}, 11)[:32]
		fmt.Fprintf(&proof, "%s\n", base64.StdEncoding.EncodeToString(h))
	}
	proof.WriteString(cp)
	r := Receipt{
		Move: "MV-20260121-01", Stage: "arrival",
		From: "Syrian Democratic Forces (SDF)", To: "Iraqi Ministry of Justice", Facility: "Al-Karkh central prison (Baghdad)",
		ReleasedBy: "escort.sdf-3 (SDF)", ReceivedBy: "registrar.karkh-1 (MoJ)",
		ReleasedAt: time.Date(2026, 1, 21, 6, 41, 0, 0, time.UTC), ReceivedAt: time.Date(2026, 1, 21, 15, 12, 0, 0, time.UTC),
		Counts:   ReceiptCounts{Manifested: 60, Boarded: 58, NotBoarded: 2, HandedOver: 57, Incidents: 1, Refused: 1},
		LogIndex: 81299, LeafHash: "q1w2e3r4t5y6u7i8o9p0AsDfGhJkLzXcVbNm123456789=",
		Checkpoint: cp, Proof: proof.String(),
	}
	if n := len(r.Proof); n < 1150 || n > 1300 {
		t.Fatalf("test proof is %d bytes, want about 1.2 KB", n)
	}
	for _, l := range m.Lines {
		r.Persons = append(r.Persons, ReceiptPerson{PersonID: l.PersonID, Latin: l.Latin, Arabic: l.Arabic})
	}
	doc := renderAndRead(t, "receipt", func(w io.Writer) error { return RenderReceipt(w, r) })

	// Exactly one QR code in the document, holding Proof byte for byte.
	var codes []string
	for _, p := range doc.pages {
		codes = append(codes, p.codes...)
	}
	if len(codes) != 1 {
		t.Fatalf("receipt: %d QR codes decoded, want 1", len(codes))
	}
	if codes[0] != r.Proof {
		t.Errorf("receipt QR code decoded as\n%q\nwant\n%q", codes[0], r.Proof)
	}

	all := strings.Join(func() []string {
		var s []string
		for _, p := range doc.pages {
			s = append(s, p.text)
		}
		return s
	}(), "\n")
	for _, s := range []string{"Custody handover receipt", "MV-20260121-01", "arrival",
		"Syrian Democratic Forces (SDF)", "Iraqi Ministry of Justice", "Al-Karkh central prison (Baghdad)",
		"escort.sdf-3 (SDF)", "registrar.karkh-1 (MoJ)", "2026-01-21 06:41 UTC", "2026-01-21 15:12 UTC",
		"81299", r.LeafHash, "Released by: escort.sdf-3 (SDF)", "Received by: registrar.karkh-1 (MoJ)",
		"Persons (60)", fmt.Sprintf("(%d bytes)", len(r.Proof))} {
		if !strings.Contains(all, s) {
			t.Errorf("receipt text lacks %q", s)
		}
	}
	for l := range strings.SplitSeq(strings.TrimSpace(cp), "\n") {
		if l != "" && !strings.Contains(all, l) {
			t.Errorf("checkpoint line %q not printed", l)
		}
	}
	// The counts table: titles on one line, the numbers in the same order
	// on the next line that holds any.
	lines := strings.Split(all, "\n")
	found := false
	for i, l := range lines {
		if !strings.Contains(l, "Manifested") {
			continue
		}
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(next) == "" {
				continue
			}
			found = true
			got := strings.Fields(next)
			want := []string{"60", "58", "2", "57", "1", "1"}
			if !slices.Equal(got, want) {
				t.Errorf("counts printed %q under %q, want %q", got, strings.Fields(l), want)
			}
			break
		}
		break
	}
	if !found {
		t.Error("counts table not found")
	}
	var arabic []string
	for _, p := range r.Persons {
		if !strings.Contains(all, p.PersonID) || !strings.Contains(all, p.Latin) {
			t.Errorf("person %s %q not listed", p.PersonID, p.Latin)
		}
		arabic = append(arabic, p.Arabic)
	}
	checkArabicRuns(t, "receipt", all, arabic)
	checkInsideColumns(t, doc.pdf, margin, pageW-margin)
}

// The largest proof the caller makes (about 1.5 KB, with non-ASCII text
// from a checkpoint's signature lines) still decodes from a 150 dpi page.
func TestReceiptLargestProof(t *testing.T) {
	var b strings.Builder
	b.WriteString("custody-proof/1\nindex 1234567\n")
	for i := 0; b.Len() < 1500-80; i++ {
		h := make([]byte, 32)
		for k := range h {
			h[k] = byte(i*31 + k*17)
		}
		b.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
	}
	b.WriteString("— custody.opencustody.example/log Az3grlgtzPICa5OS8npVmf1Myq7ZUdPX8o=\n")
	proof := b.String()
	if len(proof) < 1450 || len(proof) > 1550 {
		t.Fatalf("proof is %d bytes, want about 1.5 KB", len(proof))
	}
	doc := renderAndRead(t, "receipt-large-proof", func(w io.Writer) error {
		return RenderReceipt(w, Receipt{Move: "MV-20260121-01", Stage: "departure", LogIndex: 1234567, Proof: proof})
	})
	var codes []string
	for _, p := range doc.pages {
		codes = append(codes, p.codes...)
	}
	if len(codes) != 1 || codes[0] != proof {
		t.Errorf("decoded %d codes %q, want the %d-byte proof", len(codes), codes, len(proof))
	}
}

func TestWristbands(t *testing.T) {
	m := testManifest(20)
	var bands []Wristband
	for _, l := range m.Lines {
		bands = append(bands, Wristband{PersonID: l.PersonID, Latin: l.Latin, Arabic: l.Arabic, Facility: "Ghwayran detention centre (Hasakah)", Code: l.QR})
	}
	bands[3].Latin, bands[3].Arabic = longLatin, longArabic
	doc := renderAndRead(t, "wristbands", func(w io.Writer) error { return RenderWristbands(w, bands) })
	if len(doc.pages) != 2 {
		t.Fatalf("20 wristbands on %d pages, want 2 (16 a page)", len(doc.pages))
	}
	for i, p := range doc.pages {
		first, last := i*16, min(len(bands), (i+1)*16)
		var want, arabic []string
		for k, b := range bands[first:last] {
			want = append(want, b.Code)
			for _, s := range []string{b.PersonID, b.Code} {
				if !strings.Contains(p.text, s) {
					t.Errorf("page %d: wristband %s lacks %q", i+1, b.PersonID, s)
				}
			}
			if first+k != 3 {
				if !strings.Contains(p.text, b.Latin) {
					t.Errorf("page %d: wristband %s lacks its Latin name %q", i+1, b.PersonID, b.Latin)
				}
				arabic = append(arabic, b.Arabic)
			}
		}
		slices.Sort(want)
		got := slices.Sorted(slices.Values(p.codes))
		if !slices.Equal(got, want) {
			t.Errorf("page %d: QR codes decoded %q\nwant %q", i+1, got, want)
		}
		checkArabicRuns(t, fmt.Sprintf("page %d", i+1), p.text, arabic)
		if !strings.Contains(p.text, "Ghwayran detention centre (Hasakah)") {
			t.Errorf("page %d: facility not printed", i+1)
		}
	}
	checkInsideColumns(t, doc.pdf, bandMarginX+bandPad, pageW-bandMarginX-bandPad)
}

func TestRenderErrors(t *testing.T) {
	huge := strings.Repeat("x", 4000) // more than any QR code holds
	err := RenderManifest(io.Discard, Manifest{Move: "MV-1", Lines: []ManifestLine{{Seat: "1", PersonID: "NES-000001", QR: huge}}})
	if err == nil || !strings.Contains(err.Error(), "manifest") || !strings.Contains(err.Error(), "NES-000001") || !strings.Contains(err.Error(), "QR") {
		t.Errorf("manifest with an oversized QR payload: error %v, want one naming the manifest, the person and the QR code", err)
	}
	err = RenderWristbands(io.Discard, []Wristband{{PersonID: "NES-000002", Code: ""}})
	if err == nil || !strings.Contains(err.Error(), "wristbands") || !strings.Contains(err.Error(), "NES-000002") {
		t.Errorf("wristband without code: error %v, want one naming the wristbands and the person", err)
	}
	err = RenderReceipt(io.Discard, Receipt{Move: "MV-1", Proof: huge})
	if err == nil || !strings.Contains(err.Error(), "receipt") || !strings.Contains(err.Error(), "proof") {
		t.Errorf("receipt with an oversized proof: error %v, want one naming the receipt's proof", err)
	}
	err = RenderManifest(failingWriter{}, testManifest(2))
	if err == nil || !strings.Contains(err.Error(), "writing the PDF") || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("manifest to a failing writer: error %v, want one saying the writing failed and why", err)
	}
	// Empty documents are still complete PDFs.
	for name, fn := range map[string]func(io.Writer) error{
		"manifest":   func(w io.Writer) error { return RenderManifest(w, Manifest{}) },
		"receipt":    func(w io.Writer) error { return RenderReceipt(w, Receipt{}) },
		"wristbands": func(w io.Writer) error { return RenderWristbands(w, nil) },
	} {
		var b bytes.Buffer
		if err := fn(&b); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Errorf("empty %s: %v, %d bytes", name, err, b.Len())
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestManifestSummary(t *testing.T) {
	lines := []ManifestLine{{Category: "man"}, {Category: "man"}, {Category: "woman"}, {Category: "girl"}, {Category: ""}}
	if got, want := manifestSummary(lines), "5 persons: 2 men, 1 woman, 1 girl, 1 category not recorded"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if got, want := manifestSummary(nil), "0 persons"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// Every glyph the shaping draws must exist in both embedded fonts, or it
// would print as '?'.
func TestFontsCoverShapedForms(t *testing.T) {
	d, err := newDoc("test", "test")
	if err != nil {
		t.Fatal(err)
	}
	d.addPage()
	var need []rune
	for _, f := range arabicForms {
		for _, r := range f {
			if r != 0 {
				need = append(need, r)
			}
		}
	}
	for _, l := range lamAlef {
		need = append(need, l[0], l[1])
	}
	need = append(need, '…', '—', '·', tatweel)
	for _, bold := range []bool{false, true} {
		d.font(bold, 10)
		for _, r := range need {
			ok, err := d.pdf.IsCurrFontContainGlyph(r)
			if err != nil || !ok {
				t.Errorf("font (bold %v) has no glyph for U+%04X (%v)", bold, r, err)
			}
		}
	}
}
