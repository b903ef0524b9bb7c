package scenario

import (
	custody "github.com/opencustody/custody"
)

// Authority IDs.
const (
	sdf       custody.AuthorityID = "sdf"
	syrianGov custody.AuthorityID = "syrian-gov"
	iraqMoJ   custody.AuthorityID = "iraq-moj"
	centcom   custody.AuthorityID = "centcom"
)

// authorities are every authority of the demo: who holds custody, who orders
// the transfer, and the foreign states that will ask for their nationals.
var authorities = []custody.Authority{
	{ID: sdf, Name: custody.Name{Arabic: "قوات سوريا الديمقراطية", Latin: ls("Syrian Democratic Forces", "SDF")}, Kind: custody.NonStateForce, Country: "SY"},
	{ID: syrianGov, Name: custody.Name{Arabic: "الحكومة السورية", Latin: ls("Syrian government", "Government of the Syrian Arab Republic")}, Kind: custody.Ministry, Country: "SY"},
	{ID: iraqMoJ, Name: custody.Name{Arabic: "وزارة العدل العراقية", Latin: ls("Iraqi Ministry of Justice", "Ministry of Justice of Iraq")}, Kind: custody.Ministry, Country: "IQ"},
	{ID: centcom, Name: custody.Name{Arabic: "القيادة المركزية الأمريكية", Latin: ls("US Central Command", "CENTCOM")}, Kind: custody.Coalition, Country: "US"},
	{ID: "state-se", Name: custody.Name{Arabic: "مملكة السويد", Latin: ls("Sweden", "Kingdom of Sweden")}, Kind: custody.ForeignState, Country: "SE"},
	{ID: "state-fr", Name: custody.Name{Arabic: "الجمهورية الفرنسية", Latin: ls("France", "French Republic")}, Kind: custody.ForeignState, Country: "FR"},
	{ID: "state-gb", Name: custody.Name{Arabic: "المملكة المتحدة", Latin: ls("United Kingdom")}, Kind: custody.ForeignState, Country: "GB"},
	{ID: "state-de", Name: custody.Name{Arabic: "جمهورية ألمانيا الاتحادية", Latin: ls("Germany", "Federal Republic of Germany")}, Kind: custody.ForeignState, Country: "DE"},
	{ID: "state-nl", Name: custody.Name{Arabic: "مملكة هولندا", Latin: ls("Netherlands", "Kingdom of the Netherlands")}, Kind: custody.ForeignState, Country: "NL"},
	{ID: "state-be", Name: custody.Name{Arabic: "مملكة بلجيكا", Latin: ls("Belgium", "Kingdom of Belgium")}, Kind: custody.ForeignState, Country: "BE"},
	{ID: "state-tn", Name: custody.Name{Arabic: "الجمهورية التونسية", Latin: ls("Tunisia", "Republic of Tunisia")}, Kind: custody.ForeignState, Country: "TN"},
	{ID: "state-tj", Name: custody.Name{Arabic: "جمهورية طاجيكستان", Latin: ls("Tajikistan", "Republic of Tajikistan")}, Kind: custody.ForeignState, Country: "TJ"},
	{ID: "state-kz", Name: custody.Name{Arabic: "جمهورية كازاخستان", Latin: ls("Kazakhstan", "Republic of Kazakhstan")}, Kind: custody.ForeignState, Country: "KZ"},
	{ID: "state-uz", Name: custody.Name{Arabic: "جمهورية أوزبكستان", Latin: ls("Uzbekistan", "Republic of Uzbekistan")}, Kind: custody.ForeignState, Country: "UZ"},
	{ID: "state-ru", Name: custody.Name{Arabic: "الاتحاد الروسي", Latin: ls("Russia", "Russian Federation")}, Kind: custody.ForeignState, Country: "RU"},
}

// facilitySpec is a facility of the demo and the population it holds.
type facilitySpec struct {
	f       custody.Facility
	site    string // short place name: the recording site and the registrar's user name
	men     int    // men held (prisons)
	sy, iq  int    // Syrian and Iraqi women and children (camps, rehabilitation centres)
	foreign int    // foreign women and children
	rehab   bool   // a rehabilitation centre (adolescent boys only)
}

func facility(id, ar, latin string, kind custody.FacilityKind, place, region string, lat, lon float64, capacity int, sec custody.Security) custody.Facility {
	return custody.Facility{
		ID: custody.FacilityID(id), Name: custody.Name{Arabic: ar, Latin: []string{latin}}, Kind: kind,
		Place:    custody.Place{Name: place, Region: region, Country: "SY", Lat: lat, Lon: lon},
		Capacity: capacity, Security: sec, Controller: sdf,
	}
}

// Indexes into facilities of the places the timeline names.
const (
	fGweiran   = 0
	fAqtan     = 1
	fShaddadeh = 2
	fAlHol     = 17
	fAnnex     = 18
	fRoj       = 19
	fHospital  = 26
	fFirstDest = 27 // the Iraqi destination prisons follow the 27 in north-east Syria
)

// nesFacilities is the number of facilities in north-east Syria ("some of
// the roughly 27 detention centers").
const nesFacilities = 27

const (
	hasakah  = "Hasakah"
	raqqa    = "Raqqa"
	deirZor  = "Deir ez-Zor"
	aleppo   = "Aleppo"
	prison   = custody.Prison
	camp     = custody.Camp
	maxSec   = custody.SecurityMaximum
	highSec  = custody.SecurityHigh
	mediumSc = custody.SecurityMedium
)

// facilities are the 27 places of detention in north-east Syria, then the
// Iraqi Ministry of Justice destination prisons (left unnamed in reports,
// so named here by description). Coordinates are approximate.
var facilities = []facilitySpec{
	{f: facility("gweiran", "سجن غويران (بانوراما)", "Gweiran (Panorama) prison", prison, "Gweiran, Hasakah", hasakah, 36.48, 40.74, 5000, maxSec), site: "Gweiran", men: 4500},
	{f: facility("al-aqtan", "سجن الأقطان", "Al-Aqtan prison", prison, "Al-Aqtan, near Raqqa", raqqa, 35.99, 39.03, 1300, highSec), site: "Al-Aqtan", men: 1000},
	{f: facility("shaddadeh", "سجن الشدادي", "Shaddadeh prison", prison, "al-Shaddadi", hasakah, 36.06, 40.73, 800, highSec), site: "Shaddadeh", men: 600},
	{f: facility("alaya", "سجن علايا", "Alaya prison, Qamishli", prison, "Qamishli", hasakah, 37.05, 41.22, 600, highSec), site: "Qamishli", men: 450},
	{f: facility("derik", "مركز احتجاز ديريك (المالكية)", "Derik (al-Malikiyah) detention centre", prison, "Derik / al-Malikiyah", hasakah, 37.08, 42.14, 300, highSec), site: "Derik", men: 230},
	{f: facility("rmelan", "مركز احتجاز رميلان", "Rmelan detention centre", prison, "Rmelan", hasakah, 37.01, 41.93, 250, mediumSc), site: "Rmelan", men: 160},
	{f: facility("amuda", "مركز احتجاز عامودا", "Amuda detention centre", prison, "Amuda", hasakah, 37.10, 40.93, 250, mediumSc), site: "Amuda", men: 170},
	{f: facility("tell-tamr", "مركز احتجاز تل تمر", "Tell Tamr detention centre", prison, "Tell Tamr", hasakah, 36.65, 40.37, 250, mediumSc), site: "Tell Tamr", men: 150},
	{f: facility("tell-baydar", "مركز احتجاز تل بيدر", "Tell Baydar detention centre", prison, "Tell Baydar", hasakah, 36.70, 40.62, 200, mediumSc), site: "Tell Baydar", men: 120},
	{f: facility("markada", "مركز احتجاز مركدة", "Markada detention centre", prison, "Markada", hasakah, 35.75, 40.79, 150, mediumSc), site: "Markada", men: 100},
	{f: facility("raqqa", "سجن الرقة المركزي", "Raqqa central prison", prison, "Raqqa", raqqa, 35.95, 39.01, 700, highSec), site: "Raqqa", men: 500},
	{f: facility("tabqa", "مركز احتجاز الطبقة", "Tabqa detention centre", prison, "Tabqa", raqqa, 35.84, 38.55, 300, mediumSc), site: "Tabqa", men: 200},
	{f: facility("ayn-issa", "مركز احتجاز عين عيسى", "Ayn Issa detention centre", prison, "Ayn Issa", raqqa, 36.38, 38.86, 200, mediumSc), site: "Ayn Issa", men: 110},
	{f: facility("kobani", "مركز احتجاز كوباني (عين العرب)", "Kobani (Ayn al-Arab) detention centre", prison, "Kobani", aleppo, 36.89, 38.35, 300, highSec), site: "Kobani", men: 200},
	{f: facility("tirbespiye", "مركز احتجاز القحطانية (تربه سبيه)", "Tirbespiye (al-Qahtaniyah) detention centre", prison, "Tirbespiye / al-Qahtaniyah", hasakah, 37.03, 41.62, 250, mediumSc), site: "Tirbespiye", men: 180},
	{f: facility("hajin", "مركز احتجاز هجين", "Hajin detention centre", prison, "Hajin", deirZor, 34.69, 40.83, 250, mediumSc), site: "Hajin", men: 130},
	{f: facility("busayrah", "مركز احتجاز البصيرة", "al-Busayrah detention centre", prison, "al-Busayrah", deirZor, 35.15, 40.43, 250, mediumSc), site: "Busayrah", men: 150},
	{f: facility("al-hol", "مخيم الهول", "al-Hol camp", camp, "al-Hol", hasakah, 36.38, 41.15, 40000, highSec), site: "al-Hol", sy: 14500, iq: 2980},
	{f: withParent(facility("al-hol-annex", "مخيم الهول، القسم الخاص بالأجانب", "al-Hol camp, high-security annex (foreign nationals)", custody.CampSection, "al-Hol", hasakah, 36.39, 41.16, 8000, maxSec), "al-hol"), site: "al-Hol annex", foreign: 6520},
	{f: facility("roj", "مخيم روج", "Roj camp", camp, "Roj, near al-Malikiyah", hasakah, 36.97, 42.06, 3500, highSec), site: "Roj", foreign: 2600},
	{f: facility("areesha", "مخيم العريشة", "al-Areesha camp", camp, "al-Areesha, south of Hasakah", hasakah, 36.15, 40.76, 6000, mediumSc), site: "Areesha", sy: 4200, iq: 800},
	{f: facility("mahmoudli", "مخيم المحمودلي", "Mahmoudli camp", camp, "Mahmoudli, near Tabqa", raqqa, 35.93, 38.70, 4000, mediumSc), site: "Mahmoudli", sy: 3200},
	{f: facility("abu-khashab", "مخيم أبو خشب", "Abu Khashab camp", camp, "Abu Khashab", deirZor, 35.70, 40.40, 5000, mediumSc), site: "Abu Khashab", sy: 3400, iq: 800},
	{f: facility("newroz", "مخيم نوروز", "Newroz camp", camp, "Derik / al-Malikiyah", hasakah, 37.05, 42.17, 5000, mediumSc), site: "Newroz", sy: 3000, iq: 300, foreign: 700},
	{f: facility("houry", "مركز حوري لإعادة التأهيل", "Houry rehabilitation centre (boys)", custody.Rehab, "near Qamishli", hasakah, 36.99, 41.35, 250, highSec), site: "Houry", sy: 20, iq: 30, foreign: 100, rehab: true},
	{f: facility("orkesh", "مركز أوركيش لإعادة التأهيل", "Orkesh rehabilitation centre (boys)", custody.Rehab, "near Qamishli", hasakah, 37.02, 41.00, 200, mediumSc), site: "Orkesh", sy: 50, iq: 30, foreign: 20, rehab: true},
	{f: facility("hasakah-hospital", "مستشفى الحسكة الوطني", "Hasakah National Hospital (secure ward)", custody.Hospital, "Hasakah", hasakah, 36.50, 40.75, 80, mediumSc), site: "Hasakah hospital"},
	// Iraqi Ministry of Justice destination prisons, registered when the transfer begins.
	{f: destination("iq-moj-baghdad", "منشأة وزارة العدل العراقية شديدة الحراسة، بغداد", "Iraqi MoJ maximum-security facility, Baghdad", "Baghdad", 33.31, 44.37, 3200), site: "Baghdad"},
	{f: destination("iq-moj-south", "منشأة وزارة العدل العراقية شديدة الحراسة، جنوب العراق", "Iraqi MoJ maximum-security facility, southern Iraq", "Dhi Qar", 31.05, 46.26, 2600), site: "southern Iraq"},
	{f: destination("iq-moj-central", "منشأة وزارة العدل العراقية للاستقبال والتحقيق، وسط العراق", "Iraqi MoJ reception and investigation facility, central Iraq", "Babil", 32.55, 44.42, 1700), site: "central Iraq"},
}

func withParent(f custody.Facility, parent custody.FacilityID) custody.Facility {
	f.Parent = parent
	return f
}

func destination(id, ar, latin, region string, lat, lon float64, capacity int) custody.Facility {
	return custody.Facility{
		ID: custody.FacilityID(id), Name: custody.Name{Arabic: ar, Latin: []string{latin}}, Kind: custody.Destination,
		Place:    custody.Place{Name: latin, Region: region, Country: "IQ", Lat: lat, Lon: lon},
		Capacity: capacity, Security: maxSec, Controller: iraqMoJ,
	}
}

// registrar is the user who records events at facility i for authority a.
func registrar(i int, a custody.AuthorityID) custody.Actor {
	fs := &facilities[i]
	user := "registrar." + string(fs.f.ID)
	switch a {
	case syrianGov:
		user = "gov-registrar." + string(fs.f.ID)
	case iraqMoJ:
		user = "intake." + string(fs.f.ID)
	}
	return custody.Actor{User: user, Authority: a, Site: fs.site}
}
