package names

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

// synthName is a name with its Arabic spelling and Latin spellings.
type synthName struct {
	ar  string
	lat []string
}

func sn(ar string, lat ...string) synthName { return synthName{ar, lat} }

// synthGiven are given names (and fathers' names) for synthetic records.
var synthGiven = []synthName{
	sn("محمد", "Muhammad", "Mohammed", "Mohamed", "Mohamad", "Mohammad"), sn("أحمد", "Ahmad", "Ahmed"),
	sn("علي", "Ali", "Aly"), sn("عمر", "Umar", "Omar"), sn("عثمان", "Uthman", "Othman", "Osman"),
	sn("خالد", "Khalid", "Khaled"), sn("عبد الله", "Abdullah", "Abdallah", "Abd Allah", "Abdellah"),
	sn("عبد الرحمن", "Abd al-Rahman", "Abdulrahman", "Abdelrahman", "Abdurrahman"),
	sn("عبد العزيز", "Abdulaziz", "Abdelaziz", "Abd al-Aziz"), sn("عبد الكريم", "Abdulkarim", "Abdelkarim", "Abd al-Karim"),
	sn("عبد القادر", "Abdulqadir", "Abdelkader", "Abd al-Qadir"), sn("عبد الحميد", "Abdulhamid", "Abdelhamid"),
	sn("يوسف", "Yusuf", "Youssef", "Yousef", "Yousif"), sn("إبراهيم", "Ibrahim", "Ebrahim"),
	sn("إسماعيل", "Ismail", "Ismael", "Esmail"), sn("حسن", "Hasan", "Hassan"), sn("حسين", "Husayn", "Hussein", "Hussain"),
	sn("مصطفى", "Mustafa", "Moustafa", "Mostafa"), sn("محمود", "Mahmud", "Mahmoud", "Mahmood"), sn("سعيد", "Said", "Saeed"),
	sn("صالح", "Salih", "Saleh"), sn("صلاح", "Salah"), sn("حمزة", "Hamza", "Hamzah"), sn("بلال", "Bilal", "Belal"),
	sn("جمال", "Jamal", "Gamal", "Djamel"), sn("كمال", "Kamal", "Kemal"), sn("فيصل", "Faisal", "Faysal", "Fayssal"),
	sn("طارق", "Tariq", "Tarek", "Tareq"), sn("زياد", "Ziyad", "Ziad"), sn("ماجد", "Majid", "Majed"), sn("وليد", "Walid", "Waleed"),
	sn("سامي", "Sami", "Samy"), sn("رامي", "Rami", "Ramy"), sn("نبيل", "Nabil", "Nabeel"), sn("جاسم", "Jasim", "Jassem"),
	sn("قاسم", "Qasim", "Kassem", "Qassem"), sn("عادل", "Adil", "Adel"), sn("عماد", "Imad", "Emad"), sn("أنس", "Anas"),
	sn("أسامة", "Usama", "Osama", "Oussama"), sn("ياسر", "Yasir", "Yasser"), sn("ناصر", "Nasir", "Nasser"),
	sn("منصور", "Mansur", "Mansour"), sn("سليمان", "Sulayman", "Suleiman", "Soliman"), sn("داود", "Dawud", "Daoud", "Dawood"),
	sn("موسى", "Musa", "Moussa", "Mousa"), sn("عيسى", "Isa", "Issa", "Eissa"), sn("يحيى", "Yahya", "Yehia"),
	sn("زكريا", "Zakariya", "Zakaria"), sn("هشام", "Hisham", "Hicham", "Hesham"), sn("رشيد", "Rashid", "Rachid", "Rasheed"),
	sn("شريف", "Sharif", "Cherif", "Sherif"), sn("عبد الباسط", "Abdulbasit", "Abdelbasset"), sn("فاروق", "Faruq", "Farouk"),
	sn("نور الدين", "Nur al-Din", "Nureddin", "Noureddine"), sn("صلاح الدين", "Salah al-Din", "Salahuddin", "Salaheddine"),
	sn("سيف الدين", "Saif al-Din", "Saifuddin", "Seifeddine"), sn("عز الدين", "Izz al-Din", "Ezzeddine", "Izzeddin"),
	sn("مهدي", "Mahdi", "Mehdi"), sn("هادي", "Hadi", "Hady"), sn("كريم", "Karim", "Kareem"), sn("رضا", "Rida", "Reda", "Ridha"),
	sn("جعفر", "Jafar", "Jaafar"), sn("عباس", "Abbas"), sn("سلمان", "Salman", "Selman"), sn("عدنان", "Adnan"),
	sn("غسان", "Ghassan"), sn("مروان", "Marwan", "Marouane"), sn("رضوان", "Ridwan", "Radwan", "Redouane"),
	sn("شادي", "Shadi", "Chadi"), sn("فراس", "Firas", "Feras"), sn("مازن", "Mazin", "Mazen"), sn("باسل", "Basil", "Bassel"),
	sn("حازم", "Hazim", "Hazem"), sn("عامر", "Amir", "Amer"), sn("أيمن", "Ayman", "Aiman"), sn("أيوب", "Ayyub", "Ayoub"),
	sn("إدريس", "Idris", "Driss"), sn("لقمان", "Luqman", "Lokman"), sn("شاكر", "Shakir", "Chaker", "Shaker"),
	sn("ظافر", "Zafir", "Dhafer", "Zafer"), sn("ذياب", "Dhiyab", "Diab", "Thiab"), sn("مشعل", "Mishal", "Meshal"),
	sn("بكر", "Bakr", "Baker"), sn("جابر", "Jabir", "Jaber"), sn("ثامر", "Thamir", "Thamer", "Tamer"),
	sn("فاطمة", "Fatima", "Fatma", "Fatimah"), sn("عائشة", "Aisha", "Aicha", "Ayesha"), sn("خديجة", "Khadija", "Khadidja"),
	sn("زينب", "Zaynab", "Zainab", "Zeinab"), sn("مريم", "Maryam", "Meriem", "Mariam"), sn("نور", "Nur", "Nour", "Noor"),
	sn("سارة", "Sara", "Sarah"), sn("هدى", "Huda", "Houda", "Hoda"), sn("أمينة", "Amina", "Aminah"), sn("ليلى", "Layla", "Leila"),
}

// synthFamily are family names and nisbas, written with the article.
var synthFamily = []synthName{
	sn("الجبوري", "Jabouri", "Jubouri", "Juburi"), sn("الدليمي", "Dulaimi", "Dulaymi", "Dleimi"), sn("العبيدي", "Obaidi", "Ubaydi", "Obeidi"),
	sn("الشمري", "Shammari", "Shamari"), sn("العنزي", "Anazi", "Enezi", "Anizi"), sn("الحسيني", "Husseini", "Husayni"),
	sn("الحلبي", "Halabi"), sn("الشامي", "Shami", "Chami"), sn("البغدادي", "Baghdadi"), sn("الموصلي", "Mosuli", "Mawsili"),
	sn("التكريتي", "Tikriti"), sn("الأنباري", "Anbari"), sn("الرقاوي", "Raqqawi", "Rakkawi"), sn("الديري", "Deiri", "Dayri"),
	sn("الحمصي", "Homsi", "Himsi"), sn("المصري", "Masri", "Misri"), sn("التونسي", "Tounsi", "Tunisi"), sn("الليبي", "Libi"),
	sn("المغربي", "Maghribi", "Maghrebi"), sn("الجزائري", "Jazairi", "Djazairi"), sn("الأردني", "Urduni", "Ordoni"),
	sn("اليمني", "Yamani", "Yemeni"), sn("الكردي", "Kurdi"), sn("التميمي", "Tamimi"), sn("القحطاني", "Qahtani", "Kahtani"),
	sn("العتيبي", "Otaibi", "Utaybi"), sn("الزهراني", "Zahrani"), sn("الغامدي", "Ghamdi"), sn("الحربي", "Harbi"),
	sn("المطيري", "Mutairi", "Mutayri"), sn("الدوسري", "Dossari", "Dawsari"), sn("السعدي", "Saadi", "Sadi"),
	sn("الخطيب", "Khatib", "Khateeb"), sn("النجار", "Najjar", "Naggar"), sn("الحداد", "Haddad"), sn("العطار", "Attar"),
	sn("الصباغ", "Sabbagh"), sn("الخياط", "Khayyat", "Khayat"), sn("الحكيم", "Hakim", "Hakeem"), sn("السيد", "Sayyid", "Sayed"),
	sn("الشيخ", "Sheikh", "Shaikh"), sn("البكاري", "Bakkari", "Baggari"), sn("العكيدي", "Ugaydi", "Ogaidi"),
	sn("الشعيطي", "Shuayti", "Shaiti"), sn("البوكمالي", "Bukamali", "Boukamali"), sn("الحمد", "Hamad"), sn("الخلف", "Khalaf"),
	sn("الصالح", "Salih", "Saleh"), sn("الموسى", "Musa", "Mousa"), sn("الأحمد", "Ahmad", "Ahmed"), sn("العلي", "Ali"),
	sn("المحمد", "Muhammad", "Mohammed"), sn("الجاسم", "Jasim", "Jassem"), sn("الحسن", "Hasan", "Hassan"),
	sn("الزبيدي", "Zubaidi", "Zubaydi"), sn("الكبيسي", "Kubaisi", "Kubaysi"), sn("الفلاحي", "Falahi"), sn("الراوي", "Rawi"),
	sn("العاني", "Ani"), sn("الهيتي", "Hiti"), sn("الحديثي", "Hadithi"), sn("السامرائي", "Samarrai", "Samarai"),
	sn("الطائي", "Tai", "Taie"), sn("الجميلي", "Jumaili", "Jumayli"), sn("المشهداني", "Mashhadani"), sn("البياتي", "Bayati"),
}

// synthSurnames adds Latin surnames from the development data, for a wider
// spread of keys; nil when the data is absent.
func synthSurnames() []synthName {
	b, err := os.ReadFile(devData + "google-ar2en-train.tsv")
	if err != nil {
		return nil
	}
	var out []synthName
	for _, line := range strings.Split(string(b), "\n") {
		ar, lat, ok := strings.Cut(line, "\t")
		if ok && len(lat) > 2 {
			out = append(out, sn(ar, strings.ToUpper(lat[:1])+lat[1:]))
		}
	}
	return out
}

// synthPerson is one synthetic person: the parts of the name.
type synthPerson struct {
	parts []synthName // given, father, grandfather (maybe), family
}

// spell writes the person's name in Latin with a random spelling of each
// part and a random form of the article; arabic writes it in Arabic script.
func (p synthPerson) spell(r *rand.Rand, dropGrandfather bool) string {
	ws := make([]string, 0, len(p.parts))
	for i, s := range p.parts {
		if dropGrandfather && i == 2 && len(p.parts) == 4 {
			continue
		}
		w := s.lat[r.IntN(len(s.lat))]
		if i == len(p.parts)-1 && strings.HasPrefix(s.ar, "ال") {
			switch r.IntN(4) {
			case 0:
				w = "al-" + w
			case 1:
				w = "Al-" + w
			case 2:
				w = "el-" + w
			}
		}
		ws = append(ws, w)
	}
	return strings.Join(ws, " ")
}

func (p synthPerson) arabic() string {
	ws := make([]string, len(p.parts))
	for i, s := range p.parts {
		ws[i] = s.ar
	}
	return strings.Join(ws, " ")
}

// synthPeople makes n persons deterministically from seed.
func synthPeople(n int, seed uint64) []synthPerson {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	family := append(append([]synthName(nil), synthFamily...), synthSurnames()...)
	out := make([]synthPerson, n)
	for i := range out {
		parts := []synthName{synthGiven[r.IntN(len(synthGiven))], synthGiven[r.IntN(len(synthGiven))]}
		if r.IntN(2) == 0 {
			parts = append(parts, synthGiven[r.IntN(len(synthGiven))])
		}
		parts = append(parts, family[r.IntN(len(family))])
		out[i] = synthPerson{parts}
	}
	return out
}

// synthRecords makes the records of the persons: the Arabic-script name
// and two Latin spellings each, three name forms a record.
func synthRecords(people []synthPerson, seed uint64) []Record {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]Record, len(people))
	for i, p := range people {
		out[i] = Record{ID: fmt.Sprintf("p%07d", i), Names: []string{p.arabic(), p.spell(r, false), p.spell(r, r.IntN(3) == 0)},
			BirthYear: 1950 + r.IntN(60)}
	}
	return out
}
