package scenario

// nation is a country of origin of persons held: about 60, as reported.
type nation struct {
	code     string  // ISO 3166-1 alpha-2
	name     string  // in English
	grp      group   // how its nationals' names are written
	region   string  // Arabic family names: a key of arabNisba, or "" for the grandfather's name
	heritage group   // for European and other nationals of immigrant families: their names' origin
	hShare   float64 // the share of nationals with heritage names
	kurd     float64 // the share of nationals who are Kurds, with Kurdish names
	dual     string  // a second nationality some heritage nationals hold
	men      int     // men held (Syria: the remainder of the 8,950)
	wc       float64 // weight among foreign women and children
	nisba    nisbaEntry
	phone    string // country calling code
	towns    []string
}

// Indexes of the nations the generator refers to by name.
const (
	natSY = 0
	natIQ = 1
)

// sweden is the code whose counts SCENARIO.md gives exactly.
const sweden = "SE"

// nations lists every nationality in the demo. Men counts are exact; the
// foreign women and children of each camp are shared out by weight. Sweden's
// five women and ten children are placed in Roj (see blocks).
var nations = []nation{
	{code: "SY", name: "Syria", grp: gArab, region: "sy", kurd: 0.08, men: -1, nisba: nisbaEntry{"الشامي", ls("Shami")}, phone: "963",
		towns: ls("al-Mayadin, Deir ez-Zor", "al-Bukamal, Deir ez-Zor", "Hajin, Deir ez-Zor", "al-Shaafah, Deir ez-Zor", "Raqqa", "Tabqa, Raqqa", "al-Bab, Aleppo", "Manbij, Aleppo", "Homs", "Idlib", "al-Shaddadi, Hasakah", "Markada, Hasakah")},
	{code: "IQ", name: "Iraq", grp: gArab, region: "iq", kurd: 0.04, men: 3000, nisba: nisbaEntry{"العراقي", ls("Iraqi")}, phone: "964",
		towns: ls("Mosul, Nineveh", "Tal Afar, Nineveh", "Hawija, Kirkuk", "al-Qaim, Anbar", "Fallujah, Anbar", "Ramadi, Anbar", "Rawa, Anbar", "Baiji, Salah al-Din", "Sharqat, Salah al-Din", "Baqubah, Diyala")},
	{code: "TN", name: "Tunisia", grp: gMaghreb, men: 210, wc: 5, nisba: nisbaEntry{"التونسي", ls("Tunisi", "Tounsi")}, phone: "216", towns: ls("Tunis", "Ben Guerdane", "Bizerte", "Sousse", "Kasserine")},
	{code: "MA", name: "Morocco", grp: gMaghreb, men: 120, wc: 5, nisba: nisbaEntry{"المغربي", ls("Maghribi", "Maghrebi")}, phone: "212", towns: ls("Tangier", "Tetouan", "Casablanca", "Fez")},
	{code: "DZ", name: "Algeria", grp: gMaghreb, men: 40, wc: 2, nisba: nisbaEntry{"الجزائري", ls("Jazairi", "Djazairi")}, phone: "213"},
	{code: "LY", name: "Libya", grp: gMaghreb, men: 30, wc: 1, nisba: nisbaEntry{"الليبي", ls("Libi", "Liby")}, phone: "218"},
	{code: "MR", name: "Mauritania", grp: gMaghreb, men: 5, wc: 0.2, nisba: nisbaEntry{"الموريتاني", ls("Muritani", "Mauritani")}, phone: "222"},
	{code: "EG", name: "Egypt", grp: gArab, region: "eg", men: 90, wc: 3, nisba: nisbaEntry{"المصري", ls("Masri", "Misri")}, phone: "20"},
	{code: "SA", name: "Saudi Arabia", grp: gArab, region: "gulf", men: 100, wc: 3, nisba: nisbaEntry{"الجزراوي", ls("Jazrawi")}, phone: "966"},
	{code: "JO", name: "Jordan", grp: gArab, region: "lev", men: 50, wc: 2, nisba: nisbaEntry{"الأردني", ls("Urduni", "Ordoni")}, phone: "962"},
	{code: "LB", name: "Lebanon", grp: gArab, region: "lev", men: 40, wc: 2, nisba: nisbaEntry{"اللبناني", ls("Lubnani", "Libnani")}, phone: "961"},
	{code: "PS", name: "Palestine", grp: gArab, region: "lev", men: 20, wc: 1, nisba: nisbaEntry{"الفلسطيني", ls("Filastini", "Falastini")}, phone: "970"},
	{code: "YE", name: "Yemen", grp: gArab, region: "ye", men: 30, wc: 1, nisba: nisbaEntry{"اليمني", ls("Yamani", "Yemeni")}, phone: "967"},
	{code: "KW", name: "Kuwait", grp: gArab, region: "gulf", men: 10, wc: 0.5, nisba: nisbaEntry{"الكويتي", ls("Kuwaiti")}, phone: "965"},
	{code: "BH", name: "Bahrain", grp: gArab, region: "gulf", men: 5, wc: 0.3, nisba: nisbaEntry{"البحريني", ls("Bahraini")}, phone: "973"},
	{code: "QA", name: "Qatar", grp: gArab, region: "gulf", men: 3, wc: 0.2, nisba: nisbaEntry{"القطري", ls("Qatari")}, phone: "974"},
	{code: "SD", name: "Sudan", grp: gArab, men: 20, wc: 1, nisba: nisbaEntry{"السوداني", ls("Sudani", "Soudani")}, phone: "249"},
	{code: "SO", name: "Somalia", grp: gArab, men: 15, wc: 0.5, nisba: nisbaEntry{"الصومالي", ls("Somali")}, phone: "252"},
	{code: "TR", name: "Turkey", grp: gTurkish, men: 150, wc: 9, nisba: nisbaEntry{"التركي", ls("Turki")}, phone: "90", towns: ls("Adıyaman", "Gaziantep", "Istanbul", "Konya")},
	{code: "RU", name: "Russia", grp: gCaucasus, men: 180, wc: 14, nisba: nisbaEntry{"الداغستاني", ls("Daghestani", "Dagestani")}, phone: "7", towns: ls("Makhachkala, Dagestan", "Khasavyurt, Dagestan", "Grozny, Chechnya", "Nalchik, Kabardino-Balkaria")},
	{code: "GE", name: "Georgia", grp: gCaucasus, men: 10, wc: 1, nisba: nisbaEntry{"الشيشاني", ls("Shishani")}, phone: "995", towns: ls("Duisi, Pankisi")},
	{code: "AZ", name: "Azerbaijan", grp: gCaucasus, men: 30, wc: 2, nisba: nisbaEntry{"الأذري", ls("Adhari", "Azeri")}, phone: "994"},
	{code: "UA", name: "Ukraine", grp: gCentralAsia, men: 5, wc: 0.3, nisba: nisbaEntry{"القرمي", ls("Qirimi", "Krimi")}, phone: "380"},
	{code: "TJ", name: "Tajikistan", grp: gCentralAsia, men: 110, wc: 8, nisba: nisbaEntry{"الطاجيكي", ls("Tajiki")}, phone: "992", towns: ls("Dushanbe", "Kulob", "Khujand", "Vahdat")},
	{code: "UZ", name: "Uzbekistan", grp: gCentralAsia, men: 140, wc: 7, nisba: nisbaEntry{"الأوزبكي", ls("Uzbeki")}, phone: "998", towns: ls("Tashkent", "Namangan", "Andijan")},
	{code: "KZ", name: "Kazakhstan", grp: gCentralAsia, men: 60, wc: 6, nisba: nisbaEntry{"الكازاخي", ls("Kazakhi")}, phone: "7", towns: ls("Almaty", "Atyrau", "Aktobe", "Zhezkazgan")},
	{code: "KG", name: "Kyrgyzstan", grp: gCentralAsia, men: 40, wc: 3, nisba: nisbaEntry{"القرغيزي", ls("Qirghizi", "Kirgizi")}, phone: "996", towns: ls("Osh", "Jalal-Abad", "Bishkek")},
	{code: "TM", name: "Turkmenistan", grp: gCentralAsia, men: 10, wc: 1, nisba: nisbaEntry{"التركماني", ls("Turkmani")}, phone: "993"},
	{code: "CN", name: "China", grp: gCentralAsia, men: 30, wc: 1, nisba: nisbaEntry{"التركستاني", ls("Turkistani", "Turkestani")}, phone: "86", towns: ls("Kashgar, Xinjiang", "Hotan, Xinjiang")},
	{code: "PK", name: "Pakistan", grp: gSouthAsia, men: 25, wc: 1, nisba: nisbaEntry{"الباكستاني", ls("Bakistani", "Pakistani")}, phone: "92"},
	{code: "IN", name: "India", grp: gSouthAsia, men: 10, wc: 0.5, nisba: nisbaEntry{"الهندي", ls("Hindi")}, phone: "91"},
	{code: "BD", name: "Bangladesh", grp: gSouthAsia, men: 5, wc: 0.3, nisba: nisbaEntry{"البنغالي", ls("Bangali", "Bengali")}, phone: "880"},
	{code: "AF", name: "Afghanistan", grp: gSouthAsia, men: 15, wc: 0.6, nisba: nisbaEntry{"الأفغاني", ls("Afghani")}, phone: "93"},
	{code: "MV", name: "Maldives", grp: gSouthAsia, men: 5, wc: 0.3, nisba: nisbaEntry{"المالديفي", ls("Maldifi", "Maldivi")}, phone: "960"},
	{code: "ID", name: "Indonesia", grp: gSEAsia, men: 40, wc: 3, nisba: nisbaEntry{"الإندونيسي", ls("Indunisi", "Indonesi")}, phone: "62", towns: ls("Jakarta", "Surabaya", "Solo", "Bandung")},
	{code: "MY", name: "Malaysia", grp: gSEAsia, men: 10, wc: 0.6, nisba: nisbaEntry{"الماليزي", ls("Malizi")}, phone: "60"},
	{code: "PH", name: "Philippines", grp: gSEAsia, men: 10, wc: 0.5, nisba: nisbaEntry{"الفلبيني", ls("Filibini")}, phone: "63"},
	{code: "FR", name: "France", grp: gFrench, heritage: gMaghreb, hShare: 0.55, dual: "MA", men: 60, wc: 4, nisba: nisbaEntry{"الفرنسي", ls("Faransi", "Fransi")}, phone: "33", towns: ls("Lunel", "Toulouse", "Nice", "Strasbourg", "Paris", "Roubaix")},
	{code: "BE", name: "Belgium", grp: gDutch, heritage: gMaghreb, hShare: 0.55, dual: "MA", men: 25, wc: 1.5, nisba: nisbaEntry{"البلجيكي", ls("Baljiki", "Belgiki")}, phone: "32", towns: ls("Brussels", "Antwerp", "Vilvoorde", "Liège")},
	{code: "NL", name: "Netherlands", grp: gDutch, heritage: gMaghreb, hShare: 0.5, dual: "MA", men: 25, wc: 1.5, nisba: nisbaEntry{"الهولندي", ls("Hulandi", "Holandi")}, phone: "31", towns: ls("The Hague", "Amsterdam", "Rotterdam", "Delft")},
	{code: "DE", name: "Germany", grp: gGerman, heritage: gTurkish, hShare: 0.4, dual: "TR", men: 55, wc: 3.5, nisba: nisbaEntry{"الألماني", ls("Almani")}, phone: "49", towns: ls("Dinslaken", "Berlin", "Hamburg", "Frankfurt am Main", "Bonn")},
	{code: "AT", name: "Austria", grp: gGerman, heritage: gCaucasus, hShare: 0.4, men: 10, wc: 0.6, nisba: nisbaEntry{"النمساوي", ls("Nimsawi")}, phone: "43", towns: ls("Vienna", "Graz")},
	{code: "CH", name: "Switzerland", grp: gGerman, heritage: gBalkan, hShare: 0.4, men: 5, wc: 0.3, nisba: nisbaEntry{"السويسري", ls("Swisri")}, phone: "41"},
	{code: "GB", name: "United Kingdom", grp: gBritish, heritage: gSouthAsia, hShare: 0.45, dual: "PK", men: 45, wc: 1.5, nisba: nisbaEntry{"البريطاني", ls("Baritani", "Britani")}, phone: "44", towns: ls("London", "Birmingham", "Portsmouth", "Cardiff", "Manchester")},
	{code: "IE", name: "Ireland", grp: gBritish, men: 3, wc: 0.2, nisba: nisbaEntry{"الإيرلندي", ls("Irlandi")}, phone: "353"},
	{code: "US", name: "United States", grp: gBritish, heritage: gArab, hShare: 0.3, men: 10, wc: 0.6, nisba: nisbaEntry{"الأمريكي", ls("Amriki", "Amreeki")}, phone: "1"},
	{code: "CA", name: "Canada", grp: gBritish, heritage: gArab, hShare: 0.3, men: 10, wc: 0.5, nisba: nisbaEntry{"الكندي", ls("Kanadi")}, phone: "1"},
	{code: "AU", name: "Australia", grp: gBritish, heritage: gArab, region: "lev", hShare: 0.4, men: 15, wc: 0.8, nisba: nisbaEntry{"الأسترالي", ls("Ustrali", "Australi")}, phone: "61"},
	{code: "TT", name: "Trinidad and Tobago", grp: gBritish, men: 10, wc: 0.6, nisba: nisbaEntry{"الترينيدادي", ls("Trinidadi")}, phone: "1"},
	{code: "SE", name: "Sweden", grp: gNordic, heritage: gArab, region: "iq", hShare: 0.4, men: 10, nisba: nisbaEntry{"السويدي", ls("Suwaydi", "Swedi")}, phone: "46", towns: ls("Göteborg", "Stockholm", "Malmö", "Örebro")},
	{code: "DK", name: "Denmark", grp: gNordic, heritage: gArab, region: "lev", hShare: 0.4, men: 8, wc: 0.4, nisba: nisbaEntry{"الدنماركي", ls("Danimarki")}, phone: "45", towns: ls("Copenhagen", "Aarhus")},
	{code: "NO", name: "Norway", grp: gNordic, heritage: gSouthAsia, hShare: 0.3, men: 5, wc: 0.3, nisba: nisbaEntry{"النرويجي", ls("Narweji", "Norweji")}, phone: "47"},
	{code: "FI", name: "Finland", grp: gNordic, heritage: gArab, hShare: 0.3, men: 5, wc: 0.5, nisba: nisbaEntry{"الفنلندي", ls("Finlandi")}, phone: "358"},
	{code: "IT", name: "Italy", grp: gSouthEU, heritage: gMaghreb, hShare: 0.4, men: 8, wc: 0.3, nisba: nisbaEntry{"الإيطالي", ls("Itali")}, phone: "39"},
	{code: "ES", name: "Spain", grp: gSouthEU, heritage: gMaghreb, hShare: 0.4, dual: "MA", men: 8, wc: 0.3, nisba: nisbaEntry{"الإسباني", ls("Isbani", "Espani")}, phone: "34", towns: ls("Ceuta", "Melilla", "Barcelona")},
	{code: "PT", name: "Portugal", grp: gSouthEU, men: 3, wc: 0.1, nisba: nisbaEntry{"البرتغالي", ls("Burtughali")}, phone: "351"},
	{code: "BA", name: "Bosnia and Herzegovina", grp: gBalkan, men: 30, wc: 1.5, nisba: nisbaEntry{"البوسني", ls("Busni", "Bosni")}, phone: "387"},
	{code: "XK", name: "Kosovo", grp: gBalkan, men: 25, wc: 1.3, nisba: nisbaEntry{"الكوسوفي", ls("Kosovi")}, phone: "383"},
	{code: "AL", name: "Albania", grp: gBalkan, men: 10, wc: 0.5, nisba: nisbaEntry{"الألباني", ls("Albani")}, phone: "355"},
	{code: "MK", name: "North Macedonia", grp: gBalkan, men: 8, wc: 0.4, nisba: nisbaEntry{"المقدوني", ls("Maqduni", "Makedoni")}, phone: "389"},
}

// Numbers SCENARIO.md gives for the whole population.
const (
	totalMen     = 8950  // male IS members held, State Department figure
	totalWC      = 43250 // women and children
	totalUnder12 = 25000 // children under 12 ("about 25,000": exact here)
	sweWomen     = 5
	sweChildren  = 10
)

// menByNation returns the exact number of men of each nation: the table's,
// Syria taking the remainder.
func menByNation() []int {
	out := make([]int, len(nations))
	rest := totalMen
	for i, n := range nations {
		if n.men > 0 {
			out[i] = n.men
			rest -= n.men
		}
	}
	out[natSY] = rest
	return out
}

func nationIndex(code string) int {
	for i, n := range nations {
		if n.code == code {
			return i
		}
	}
	return -1
}
