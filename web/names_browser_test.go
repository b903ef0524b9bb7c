package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	custody "github.com/opencustody/custody"
)

// TestBrowserRegisterDuplicate: the registrar of Gweiran registers a man
// who is already registered there, under another spelling. The form warns
// with the record found; the registrar registers anyway, then sees on the
// new record that it is probably the same person, and merges it.
func TestBrowserRegisterDuplicate(t *testing.T) {
	f := newFixture(t)
	orig := f.heldAt(t, "gweiran").Person
	b := newBrowser(t, f.ts.URL, 1280, 900)
	b.login("registrar")
	b.run("search by the Arabic name",
		chromedp.Navigate(f.ts.URL+"/persons"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), orig.Name.Arabic+"\n"),
		chromedp.WaitVisible(chromedp.ID("name-matches")),
	)
	b.screenshot("search-arabic")
	if got := eval[string](b, "first match", `document.querySelector("#name-matches .match-row").dataset.id`); got == "" {
		t.Fatal("no match by the Arabic name")
	}
	if !strings.Contains(b.text("#name-matches"), string(orig.ID)) {
		t.Errorf("searching %q does not list %s", orig.Name.Arabic, orig.ID)
	}
	latin := strings.ToUpper(orig.Name.Latin[0])
	b.run("fill the registration form",
		chromedp.Click(chromedp.ID("register-link")),
		chromedp.WaitVisible(chromedp.ID("register")),
		chromedp.SetValue(chromedp.ID("reg-id"), "REG-BROWSER-1"),
		chromedp.SendKeys(chromedp.ID("reg-arabic"), orig.Name.Arabic),
		chromedp.SendKeys(chromedp.ID("reg-latin"), latin),
		chromedp.SendKeys(chromedp.ID("reg-father-latin"), orig.FatherName.Display()),
		chromedp.SetValue(chromedp.ID("reg-birth"), orig.Birth.Date),
		chromedp.SendKeys(chromedp.ID("reg-nationality"), orig.Nationalities[0]),
		chromedp.SetValue(chromedp.ID("reg-facility"), "gweiran"),
		chromedp.SendKeys(chromedp.ID("reg-taken"), "Asayish patrol"),
		chromedp.SetValue(chromedp.ID("reg-ordered"), "sdf"),
		chromedp.SendKeys(chromedp.ID("reg-grounds"), "suspected IS membership"),
	)
	b.screenshot("register-form")
	b.run("submit", chromedp.Click(chromedp.ID("register-submit")), chromedp.WaitVisible(chromedp.ID("duplicate-warning")))
	b.screenshot("duplicate-warning")
	if !strings.Contains(b.text("#duplicate-warning"), string(orig.ID)) {
		t.Fatalf("the warning does not name %s: %q", orig.ID, b.text("#duplicate-warning"))
	}
	// Nothing is registered yet.
	if _, err := f.store.PersonFacts(t.Context(), "REG-BROWSER-1"); custody.ErrorCode(err) != custody.NotFound {
		t.Fatalf("the held-back registration was recorded (%v)", err)
	}
	// Probable records outside the registrar's facilities are only
	// counted; the registrar says they checked them with a monitor.
	eval[bool](b, "tick elsewhere", `(() => { const c = document.querySelector('input[name="elsewhere_checked"]'); if (c) c.click(); return true })()`)
	b.run("register anyway",
		chromedp.Click(chromedp.CSS(`input[name="not_duplicate"][value="`+string(orig.ID)+`"]`)),
		chromedp.Click(chromedp.ID("register-submit")),
		chromedp.WaitVisible(chromedp.ID("duplicates")),
	)
	b.screenshot("new-record-with-duplicate")
	b.run("merge", chromedp.SendKeys(chromedp.CSS(`#duplicates .merge-form input[name="reason"]`), "same father and birth date; wristband lost"),
		chromedp.Click(chromedp.ID("merge-"+string(orig.ID))))
	// The earlier registration is kept: the new record is merged into the
	// original, and the page shown is the original's.
	b.run("merged", chromedp.WaitVisible(chromedp.CSS(`#person-id`)))
	b.screenshot("after-merge")
	if got := b.text("#person-id"); got != string(orig.ID) {
		t.Errorf("after the merge the page shows %s, want the record kept %s", got, orig.ID)
	}
	rec, err := f.store.PersonFacts(t.Context(), "REG-BROWSER-1")
	if err != nil {
		t.Fatal(err)
	}
	if rec.State.Merged == nil || rec.State.Merged.Into != orig.ID {
		t.Fatalf("after the merge REG-BROWSER-1 is %+v", rec.State.Location)
	}
	b.run("open the merged record", chromedp.Navigate(f.ts.URL+"/persons/REG-BROWSER-1"), chromedp.WaitVisible(chromedp.ID("merged")))
	b.screenshot("merged-record")
	b.run("undo the merge", chromedp.SendKeys(chromedp.ID("unmerge-reason"), "the mother's name differs"), chromedp.Click(chromedp.ID("unmerge")),
		chromedp.WaitNotPresent(chromedp.ID("merged")))
	b.screenshot("unmerged")
	if rec, err := f.store.PersonFacts(t.Context(), "REG-BROWSER-1"); err != nil || rec.State.Location.Status != custody.StatusHeld {
		t.Fatalf("after the unmerge: %v %v", rec, err)
	}
}
