package web

import (
	"fmt"
	"net/http"
)

// Lang is a language of the UI: English, or Arabic (right to left).
type Lang string

// Languages of the UI.
const (
	English Lang = "en"
	Arabic  Lang = "ar"
)

func parseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case English, Arabic:
		return Lang(s), true
	}
	return "", false
}

// langOf is the language of a request: ?lang=, else the lang cookie, else
// English.
func langOf(r *http.Request) Lang {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	return English
}

// Dir is the writing direction of the language.
func (l Lang) Dir() string {
	if l == Arabic {
		return "rtl"
	}
	return "ltr"
}

// T translates a message key (the English text itself) into l, formatting
// args into it; a key with no translation shows in English.
func (l Lang) T(key string, args ...any) string {
	s := key
	if l == Arabic {
		if a, ok := arabic[key]; ok {
			s = a
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// arabic translates the UI's English messages. It is read only.
var arabic = map[string]string{
	"Sign in":           "تسجيل الدخول",
	"Sign out":          "تسجيل الخروج",
	"Name":              "الاسم",
	"Password":          "كلمة المرور",
	"Dashboard":         "لوحة المتابعة",
	"Map":               "الخريطة",
	"Persons":           "الأشخاص",
	"Facilities":        "المرافق",
	"Allocations":       "التخصيصات",
	"Moves":             "عمليات النقل",
	"Audit":             "سجل الاطلاع",
	"Users":             "المستخدمون",
	"Search":            "بحث",
	"Error":             "خطأ",
	"Go back":           "رجوع",
	"custody":           "الحراسة",
	"Latest checkpoint": "آخر نقطة تحقق",
}
