package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	custody "github.com/opencustody/custody"
)

// printMedia emulates print media (media "print") or turns it off ("").
func printMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// TestBrowserInquiry: on a phone, the family desk opens an inquiry by the
// form (the name in Arabic script, the father's name in Latin letters),
// finds the person among the candidates with the reasons, confirms them,
// answers, and opens the printable answer, printed and in Arabic.
func TestBrowserInquiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec, err := f.store.PersonFacts(ctx, inquirySought)
	if err != nil {
		t.Fatal(err)
	}
	per := rec.State.Person
	p := string(inquirySought)
	b := newBrowser(t, f.ts.URL, 390, 844)
	b.login("family")
	b.run("open the inquiries", chromedp.Click(chromedp.CSS(`nav.main a[href="/inquiries"]`)), chromedp.WaitVisible(chromedp.ID("open-inquiry")))
	b.run("fill in the inquiry",
		chromedp.SetValue(chromedp.ID("inq-names"), per.Name.Arabic),
		chromedp.SendKeys(chromedp.ID("inq-father"), per.FatherName.Display()),
		chromedp.SendKeys(chromedp.ID("inq-asker"), "Amina Khalil"),
		chromedp.SendKeys(chromedp.ID("inq-relationship"), "mother"),
		chromedp.SendKeys(chromedp.ID("inq-contact"), "+963 900 000 000"),
	)
	b.screenshot("inquiry-form")
	b.run("record the inquiry", chromedp.Click(chromedp.ID("open-inquiry-submit")), chromedp.WaitVisible(chromedp.ID("candidates")))
	b.screenshot("candidates")
	sel := `.candidate-row[data-person="` + p + `"]`
	if n := eval[int](b, "count candidates", `document.querySelectorAll(".candidate-row").length`); n == 0 {
		t.Fatalf("no candidates for %s", per.Name.Arabic)
	}
	rank := eval[int](b, "rank of the person sought", `[...document.querySelectorAll(".candidate-row")].findIndex(e => e.dataset.person === "`+p+`")`)
	if rank < 0 || rank > 2 {
		t.Fatalf("%s is at rank %d among the candidates", p, rank)
	}
	if s := b.text(sel + " .reason-list"); !strings.Contains(s, "Name") {
		t.Errorf("the candidate's reasons: %q", s)
	}
	b.run("confirm the person", chromedp.Click(chromedp.ID("confirm-"+p)), chromedp.WaitVisible(chromedp.ID("answer-"+p)))
	b.screenshot("confirmed")
	b.run("answer", chromedp.Click(chromedp.ID("answer-"+p)), chromedp.WaitVisible(chromedp.ID("printed-answer")))
	b.screenshot("answer")
	if s := b.text("#answer-body"); !strings.Contains(s, "Whereabouts") {
		t.Errorf("the answer does not give the whereabouts: %q", s)
	}
	id := b.text("#answer-reference")
	q, err := f.store.Inquiry(ctx, custody.InquiryID(id))
	if err != nil || q.Status != custody.InquiryClosed || q.Person != inquirySought {
		t.Fatalf("the inquiry %s after the answer: %+v %v", id, q, err)
	}

	// Printed: the letterhead and the answer, none of the navigation.
	b.run("print media", printMedia("print"))
	if d := eval[string](b, "header display in print", `getComputedStyle(document.querySelector("header.top")).display`); d != "none" {
		t.Errorf("the page header is printed (display %q)", d)
	}
	if d := eval[string](b, "letterhead display in print", `getComputedStyle(document.querySelector(".letterhead")).display`); d == "none" {
		t.Error("the letterhead is not printed")
	}
	for _, sel := range []string{"#answer-reference", "#released-facts", "#answer-log-index"} {
		if !eval[bool](b, "printed "+sel, `document.querySelector("`+sel+`").offsetParent !== null`) {
			t.Errorf("%s is not printed", sel)
		}
	}
	b.screenshot("answer-print")
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF())
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, "answer.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	b.run("screen media", printMedia(""))

	// In Arabic.
	b.run("switch to Arabic", chromedp.Click(chromedp.ID("lang-ar")), chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"] #printed-answer`)))
	b.screenshot("answer-ar")
	if s := b.text(".letterhead-title"); s != "جواب على استفسار عائلة" {
		t.Errorf("the Arabic letterhead: %q", s)
	}
	b.run("the inquiries in Arabic", chromedp.Click(chromedp.CSS(`nav.main a[href="/inquiries"]`)), chromedp.WaitVisible(chromedp.CSS(`.inquiry-row[data-id="`+id+`"]`)))
	b.screenshot("inquiries-ar")
}
