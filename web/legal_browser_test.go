package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	custody "github.com/opencustody/custody"
)

// TestBrowserJudicialCase: the Iraqi judge signs in, opens the judicial
// board, opens the Swede's case (marked: he faces death) and records a
// hearing and a referral to trial through the case page's forms.
func TestBrowserJudicialCase(t *testing.T) {
	f, w := newLegalFixture(t)
	b := newBrowser(t, f.ts.URL, 1280, 900)
	b.login("judicial")
	row := `.case-row[data-id="` + string(w.sweCase) + `"]`
	b.run("open the board", chromedp.Click(chromedp.CSS(`nav.main a[href="/cases"]`)), chromedp.WaitVisible(chromedp.CSS(row)))
	b.screenshot("board")
	if !strings.Contains(eval[string](b, "read the row's class", `document.querySelector('`+row+`').className`), "exposed") {
		t.Error("the Swede's case is not marked as facing death on the board")
	}
	b.run("open the case", chromedp.Click(chromedp.CSS(row+" a")), chromedp.WaitVisible(chromedp.ID("case-history")))
	b.screenshot("case")
	if s := b.text("#charges"); !strings.Contains(s, "4(1)") {
		t.Errorf("the charge sheet in force: %q", s)
	}
	b.run("fill in the hearing",
		chromedp.SendKeys(chromedp.ID("hearing-summary"), "The charges were read to the accused, who denied them."),
		chromedp.Click(chromedp.ID("hearing-counsel")),
	)
	b.screenshot("hearing-form")
	b.run("record the hearing", chromedp.Click(chromedp.ID("hearing-submit")), chromedp.WaitVisible(chromedp.ID("flash")))
	b.screenshot("hearing-recorded")
	if s := b.text("#case-hearings"); s != "1" {
		t.Errorf("hearings after the hearing: %q", s)
	}
	b.run("choose the decision",
		chromedp.SetValue(chromedp.ID("decision"), "referred"),
		chromedp.SendKeys(chromedp.ID("decision-note"), "referred to the Central Criminal Court"),
	)
	b.run("record the decision", chromedp.Click(chromedp.ID("decision-submit")), chromedp.WaitVisible(chromedp.CSS(`#case-stage.case-stage-trial`)))
	b.screenshot("referred")
	c, err := f.store.Case(context.Background(), w.sweCase)
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != custody.CaseStageTrial || c.Hearings != 1 || c.Decision != custody.DecisionReferred {
		t.Fatalf("the Swede's case after the forms: %s, %d hearings, decision %q", c.Stage, c.Hearings, c.Decision)
	}
	if n := eval[int](b, "count the steps", `document.querySelectorAll("#case-history li.step").length`); n != 4 {
		t.Errorf("the case's history has %d steps, want 4", n)
	}
}

// TestBrowserOverdueNotifications: a monitor's dashboard counts the
// overdue consular notifications and names the oldest; the count leads to
// the consular page's overdue tab.
func TestBrowserOverdueNotifications(t *testing.T) {
	f, _ := newLegalFixture(t)
	b := newBrowser(t, f.ts.URL, 1280, 900)
	b.login("monitor")
	b.run("see the overdue notifications", chromedp.WaitVisible(chromedp.ID("overdue-count")), chromedp.ScrollIntoView(chromedp.ID("overdue-notifications")))
	b.screenshot("dashboard-overdue")
	n, err := strconv.Atoi(strings.ReplaceAll(b.text("#overdue-count"), ",", ""))
	if err != nil || n < 1 {
		t.Fatalf("the overdue count: %q", b.text("#overdue-count"))
	}
	if rows := eval[int](b, "count the oldest", `document.querySelectorAll(".overdue-row").length`); rows < 1 || rows > oldestOverdue {
		t.Errorf("the dashboard names %d overdue notifications", rows)
	}
	b.run("open the overdue tab", chromedp.Click(chromedp.ID("overdue-count")), chromedp.WaitVisible(chromedp.CSS("#status-overdue.active")))
	b.screenshot("consular-overdue")
	if got := b.text("#status-overdue .count"); strings.ReplaceAll(got, ",", "") != strconv.Itoa(n) {
		t.Errorf("the overdue tab counts %s, the dashboard %d", got, n)
	}
	if rows := eval[int](b, "count the rows", `document.querySelectorAll(".notification-row.overdue").length`); rows < 1 {
		t.Error("no overdue rows on the overdue tab")
	}
}
