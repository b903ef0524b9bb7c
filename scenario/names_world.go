package scenario

// Name tables for names from outside the Arab world, with the Arabic-script
// rendering an Arabic-language register in north-east Syria would give them.
// Surnames of Central Asia and the Caucasus are given in the masculine form;
// feminise derives the feminine (Abdulloev, Abdulloeva; عبدولوييف, عبدولوييفا).

// centralAsianMale are Tajik, Uzbek, Kazakh, Kyrgyz and Uyghur given names.
var centralAsianMale = []nameEntry{
	{ar: "عبد الله", lat: ls("Abdullo", "Abdulla", "Abdullah")},
	{ar: "محمد جان", lat: ls("Muhammadjon", "Mukhammadzhon", "Mohammadjon")},
	{ar: "فرخ", lat: ls("Farrukh", "Farukh", "Farrux")},
	{ar: "دوران", lat: ls("Davron", "Davran", "Dawron")},
	{ar: "بختيار", lat: ls("Bakhtiyor", "Bakhtiyar", "Baxtiyor", "Bakhtier")},
	{ar: "شيرزاد", lat: ls("Sherzod", "Sherzad", "Shirzod")},
	{ar: "جمشيد", lat: ls("Jamshed", "Jamshid", "Dzhamshed")},
	{ar: "فردوس", lat: ls("Firdavs", "Firdaus", "Firdous")},
	{ar: "رستم", lat: ls("Rustam", "Rustem", "Rostam")},
	{ar: "نورلان", lat: ls("Nurlan", "Nourlan")},
	{ar: "يرلان", lat: ls("Yerlan", "Erlan")},
	{ar: "دانيار", lat: ls("Daniyar", "Daniiar", "Doniyor")},
	{ar: "عسكر", lat: ls("Askar", "Asqar", "Askhar")},
	{ar: "تيمور", lat: ls("Timur", "Temur", "Teymur")},
	{ar: "أولوغ بك", lat: ls("Ulugbek", "Ulughbek", "Ulug'bek")},
	{ar: "سيف الله", lat: ls("Sayfullo", "Saifullah", "Sayfulla")},
	{ar: "نعمة الله", lat: ls("Nematullo", "Nigmatulla", "Nematulla")},
	{ar: "إسلام", lat: ls("Islom", "Islam")},
	{ar: "بهروز", lat: ls("Behruz", "Bekhruz", "Bahrouz")},
	{ar: "ضياء الدين", lat: ls("Ziyovuddin", "Ziyavuddin", "Ziyauddin")},
	{ar: "ميرزا", lat: ls("Mirzo", "Mirza")},
}

// centralAsianFemale are Central Asian given names of women and girls.
var centralAsianFemale = []nameEntry{
	{ar: "زارينا", lat: ls("Zarina", "Zareena")},
	{ar: "دلنوزا", lat: ls("Dilnoza", "Dilnosa")},
	{ar: "غولنارا", lat: ls("Gulnara", "Gulnora")},
	{ar: "مدينة", lat: ls("Madina", "Madinah")},
	{ar: "آيغريم", lat: ls("Aigerim", "Aygerim", "Aigerym")},
	{ar: "نيغورا", lat: ls("Nigora", "Nigara", "Nighora")},
	{ar: "مليكة", lat: ls("Malika", "Malikah", "Maliqa")},
	{ar: "شهنوزا", lat: ls("Shahnoza", "Shakhnoza")},
	{ar: "فيروزة", lat: ls("Feruza", "Firuza", "Firouza")},
	{ar: "ماهرة", lat: ls("Mohira", "Mahira", "Makhira")},
	{ar: "ستارة", lat: ls("Sitora", "Sitara")},
	{ar: "نيلوفر", lat: ls("Nilufar", "Nilufer", "Niloufar")},
	{ar: "غولشان", lat: ls("Gulshan", "Gulshon")},
	{ar: "أسيل", lat: ls("Assel", "Asel", "Asyl")},
}

// centralAsianFamily are Central Asian surnames (masculine).
var centralAsianFamily = []nameEntry{
	{ar: "عبدولوييف", lat: ls("Abdulloev", "Abdulloyev", "Abdulloiev")},
	{ar: "نورماتوف", lat: ls("Nurmatov", "Nourmatov", "Nurmatow")},
	{ar: "رحيموف", lat: ls("Rahimov", "Rakhimov", "Rahimow")},
	{ar: "سعيدوف", lat: ls("Saidov", "Saidow", "Sayidov")},
	{ar: "كريموف", lat: ls("Karimov", "Karimow", "Kerimov")},
	{ar: "يوسوبوف", lat: ls("Yusupov", "Yusupow", "Yusufov")},
	{ar: "شريبوف", lat: ls("Sharipov", "Sharifov", "Sharipow")},
	{ar: "دولتوف", lat: ls("Davlatov", "Dovlatov", "Davlatow")},
	{ar: "نزاروف", lat: ls("Nazarov", "Nazarow")},
	{ar: "خدايبردييف", lat: ls("Khudoiberdiev", "Khudoyberdiyev", "Xudoyberdiyev")},
	{ar: "رستموف", lat: ls("Rustamov", "Rustamow", "Rustemov")},
	{ar: "إسماعيلوف", lat: ls("Ismoilov", "Ismailov", "Ismoilow")},
	{ar: "سلطانوف", lat: ls("Sultonov", "Sultanov", "Sultonow")},
	{ar: "ميرزوييف", lat: ls("Mirzoev", "Mirzoyev", "Mirzoiev")},
	{ar: "قاديروف", lat: ls("Qodirov", "Kodirov", "Kadirov")},
	{ar: "تورسونوف", lat: ls("Tursunov", "Tursunow", "Toursounov")},
	{ar: "جاكوبوف", lat: ls("Zhakupov", "Jakupov", "Zhaqupov")},
	{ar: "أحمدوف", lat: ls("Akhmetov", "Ahmetov", "Axmetov")},
	{ar: "سيريكباييف", lat: ls("Serikbayev", "Serikbaev", "Serikbaiev")},
	{ar: "قاسيموف", lat: ls("Kassymov", "Kasymov", "Qasymov")},
	{ar: "جومابايف", lat: ls("Zhumabayev", "Jumabaev", "Zhumabaev")},
	{ar: "إرغاشيف", lat: ls("Ergashev", "Irgashev", "Ergashov")},
	{ar: "توختاييف", lat: ls("Tokhtaev", "Tukhtaev", "Tokhtayev")},
	{ar: "عثمانوف", lat: ls("Usmonov", "Usmanov", "Osmanov")},
}

// caucasusMale are given names from Dagestan, Chechnya, Azerbaijan and the
// Pankisi valley.
var caucasusMale = []nameEntry{
	{ar: "ماغوميد", lat: ls("Magomed", "Magomet", "Mahomed")},
	{ar: "رسول", lat: ls("Rasul", "Rassoul", "Rasoul")},
	{ar: "شامل", lat: ls("Shamil", "Chamil")},
	{ar: "روسلان", lat: ls("Ruslan", "Rouslan")},
	{ar: "إسلام", lat: ls("Islam", "Islyam")},
	{ar: "مراد", lat: ls("Murad", "Murat")},
	{ar: "عبد الرحيم", lat: ls("Abdurakhim", "Abdurahim", "Abdurrakhim")},
	{ar: "جمال", lat: ls("Dzhamal", "Jamal", "Djamal")},
	{ar: "إلدار", lat: ls("Eldar", "Ildar")},
	{ar: "أرسلان", lat: ls("Arslan", "Arsalan")},
	{ar: "زاؤور", lat: ls("Zaur", "Zaour")},
	{ar: "أصلان", lat: ls("Aslan", "Asslan")},
}

// caucasusFemale are Caucasian given names of women and girls.
var caucasusFemale = []nameEntry{
	{ar: "باتيمات", lat: ls("Patimat", "Fatimat")},
	{ar: "أمينات", lat: ls("Aminat", "Aminet")},
	{ar: "خديجات", lat: ls("Khadizhat", "Khadijat", "Hadizhat")},
	{ar: "عيشات", lat: ls("Aishat", "Ayshat")},
	{ar: "زاريما", lat: ls("Zarema", "Zaremma")},
	{ar: "ميلانا", lat: ls("Milana", "Milanna")},
	{ar: "ليانا", lat: ls("Liana", "Lyana")},
	{ar: "زايرا", lat: ls("Zaira", "Zayra")},
	{ar: "إلميرا", lat: ls("Elmira", "Elmyra")},
}

// caucasusFamily are Caucasian surnames (masculine).
var caucasusFamily = []nameEntry{
	{ar: "ماغوميدوف", lat: ls("Magomedov", "Magometov", "Magomedow")},
	{ar: "حاجييف", lat: ls("Gadzhiev", "Gadzhiyev", "Hajiev")},
	{ar: "علييف", lat: ls("Aliev", "Aliyev", "Alijev")},
	{ar: "عمروف", lat: ls("Umarov", "Umarow", "Oumarov")},
	{ar: "عبد الرحمانوف", lat: ls("Abdurakhmanov", "Abdurahmanov", "Abdurrakhmanov")},
	{ar: "عيساييف", lat: ls("Isaev", "Isayev", "Issaev")},
	{ar: "خاسانوف", lat: ls("Khasanov", "Hasanov", "Xasanov")},
	{ar: "باتيروف", lat: ls("Batirov", "Batyrov")},
	{ar: "رمضانوف", lat: ls("Ramazanov", "Ramadanov", "Ramasanov")},
	{ar: "عبد اللاييف", lat: ls("Abdulaev", "Abdullaev", "Abdullayev")},
	{ar: "موساييف", lat: ls("Musaev", "Musayev", "Moussaev")},
	{ar: "إبراغيموف", lat: ls("Ibragimov", "Ibrahimov", "Ibraguimov")},
	{ar: "جبرائيلوف", lat: ls("Dzhabrailov", "Jabrailov", "Djabrailov")},
	{ar: "ماماييف", lat: ls("Mamaev", "Mamayev")},
}

// turkishMale, turkishFemale and turkishFamily are Turkish names, in Turkish
// spelling and without its letters.
var turkishMale = []nameEntry{
	{ar: "محمد", lat: ls("Mehmet", "Mehmed")},
	{ar: "أحمد", lat: ls("Ahmet", "Ahmed")},
	{ar: "مصطفى", lat: ls("Mustafa", "Moustafa")},
	{ar: "يوسف", lat: ls("Yusuf", "Yousuf")},
	{ar: "إبراهيم", lat: ls("İbrahim", "Ibrahim")},
	{ar: "حسين", lat: ls("Hüseyin", "Huseyin", "Husseyin")},
	{ar: "عمر", lat: ls("Ömer", "Omer")},
	{ar: "فاتح", lat: ls("Fatih", "Fateh")},
	{ar: "بوراك", lat: ls("Burak", "Bourak")},
	{ar: "إلهان", lat: ls("İlhan", "Ilhan")},
	{ar: "سليمان", lat: ls("Süleyman", "Suleyman")},
	{ar: "كمال", lat: ls("Kemal", "Kamal")},
	{ar: "أمره", lat: ls("Emre")},
}

var turkishFemale = []nameEntry{
	{ar: "عائشة", lat: ls("Ayşe", "Ayse")},
	{ar: "فاطمة", lat: ls("Fatma")},
	{ar: "أمينة", lat: ls("Emine", "Amine")},
	{ar: "زينب", lat: ls("Zeynep", "Zeinep")},
	{ar: "خديجة", lat: ls("Hatice", "Hadice")},
	{ar: "مريم", lat: ls("Meryem", "Merjem")},
	{ar: "إليف", lat: ls("Elif")},
	{ar: "بشرى", lat: ls("Büşra", "Busra")},
	{ar: "كبرى", lat: ls("Kübra", "Kubra")},
	{ar: "سمية", lat: ls("Sümeyye", "Sumeyye")},
}

var turkishFamily = []nameEntry{
	{ar: "يلماز", lat: ls("Yılmaz", "Yilmaz")},
	{ar: "قايا", lat: ls("Kaya")},
	{ar: "دمير", lat: ls("Demir")},
	{ar: "تشيليك", lat: ls("Çelik", "Celik")},
	{ar: "شاهين", lat: ls("Şahin", "Sahin")},
	{ar: "أوزتورك", lat: ls("Öztürk", "Ozturk")},
	{ar: "آيدين", lat: ls("Aydın", "Aydin")},
	{ar: "أرسلان", lat: ls("Arslan")},
	{ar: "دوغان", lat: ls("Doğan", "Dogan")},
	{ar: "كيليتش", lat: ls("Kılıç", "Kilic")},
	{ar: "يلدز", lat: ls("Yıldız", "Yildiz")},
	{ar: "أوزدمير", lat: ls("Özdemir", "Ozdemir")},
	{ar: "قورقماز", lat: ls("Korkmaz")},
	{ar: "كوتش", lat: ls("Koç", "Koc")},
}

// southAsianFamily are Pakistani, Indian, Bangladeshi, Afghan and Maldivian
// family names (given names come from the Arabic tables).
var southAsianFamily = []nameEntry{
	{ar: "خان", lat: ls("Khan")},
	{ar: "حسين", lat: ls("Hussain", "Husain")},
	{ar: "قريشي", lat: ls("Qureshi", "Qureishi")},
	{ar: "مالك", lat: ls("Malik")},
	{ar: "شاه", lat: ls("Shah")},
	{ar: "تشودري", lat: ls("Chaudhry", "Choudhury", "Chaudhary")},
	{ar: "بت", lat: ls("Butt")},
	{ar: "صديقي", lat: ls("Siddiqui", "Siddiqi")},
	{ar: "أحمدزي", lat: ls("Ahmadzai")},
	{ar: "رحمن", lat: ls("Rahman", "Rehman")},
}

// seAsianMale, seAsianFemale and seAsianFamily are Indonesian, Malaysian and
// Filipino Muslim names.
var seAsianMale = []nameEntry{
	{ar: "أغوس", lat: ls("Agus")},
	{ar: "بودي", lat: ls("Budi")},
	{ar: "رزقي", lat: ls("Rizky", "Rizki")},
	{ar: "هندرا", lat: ls("Hendra")},
	{ar: "ديدي", lat: ls("Dedi", "Dedy")},
	{ar: "فجر", lat: ls("Fajar")},
	{ar: "حافظ", lat: ls("Hafiz", "Hafidz")},
	{ar: "شهرل", lat: ls("Syahrul", "Sharul")},
}

var seAsianFemale = []nameEntry{
	{ar: "سيتي", lat: ls("Siti")},
	{ar: "نور", lat: ls("Nur", "Noor")},
	{ar: "ديوي", lat: ls("Dewi")},
	{ar: "بوتري", lat: ls("Putri")},
	{ar: "عائشة", lat: ls("Aisyah", "Aishah")},
	{ar: "نورل", lat: ls("Nurul")},
	{ar: "رحماواتي", lat: ls("Rahmawati")},
	{ar: "فطري", lat: ls("Fitri", "Fitriah")},
}

var seAsianFamily = []nameEntry{
	{ar: "سابوترا", lat: ls("Saputra")},
	{ar: "هدايت", lat: ls("Hidayat")},
	{ar: "براتاما", lat: ls("Pratama")},
	{ar: "ويجايا", lat: ls("Wijaya", "Widjaja")},
	{ar: "عبد الله", lat: ls("Abdullah")},
	{ar: "إسماعيل", lat: ls("Ismail")},
	{ar: "سانتوسو", lat: ls("Santoso")},
	{ar: "كورنياوان", lat: ls("Kurniawan")},
	{ar: "سيتياوان", lat: ls("Setiawan")},
}

// European names: Nordic, French, British (and Irish, North American,
// Australian, Trinidadian), German, Dutch and Flemish, Southern European and
// Balkan. Latin spellings with and without diacritics.
var nordicMale = []nameEntry{
	{ar: "يوهان", lat: ls("Johan")}, {ar: "إريك", lat: ls("Erik", "Eric")}, {ar: "أندرس", lat: ls("Anders")},
	{ar: "لارس", lat: ls("Lars")}, {ar: "كارل", lat: ls("Karl", "Carl")}, {ar: "ميكائيل", lat: ls("Mikael")},
	{ar: "أندرياس", lat: ls("Andreas")}, {ar: "دانيال", lat: ls("Daniel")}, {ar: "فريدريك", lat: ls("Fredrik")},
	{ar: "أوسكار", lat: ls("Oscar", "Oskar")}, {ar: "غوستاف", lat: ls("Gustav", "Gustaf")},
	{ar: "ماتياس", lat: ls("Mattias")}, {ar: "يوناس", lat: ls("Jonas")}, {ar: "نيكلاس", lat: ls("Niklas", "Nicklas")},
}

var nordicFemale = []nameEntry{
	{ar: "آنا", lat: ls("Anna")}, {ar: "ماريا", lat: ls("Maria")}, {ar: "إيما", lat: ls("Emma")},
	{ar: "سارا", lat: ls("Sara")}, {ar: "إيلين", lat: ls("Elin")}, {ar: "لينيا", lat: ls("Linnéa", "Linnea")},
	{ar: "يوهانا", lat: ls("Johanna")}, {ar: "إيدا", lat: ls("Ida")}, {ar: "ماتيلدا", lat: ls("Matilda")},
	{ar: "فريدا", lat: ls("Frida")},
}

var nordicFamily = []nameEntry{
	{ar: "أندرسون", lat: ls("Andersson")}, {ar: "يوهانسون", lat: ls("Johansson")},
	{ar: "كارلسون", lat: ls("Karlsson", "Carlsson")}, {ar: "نيلسون", lat: ls("Nilsson")},
	{ar: "إريكسون", lat: ls("Eriksson")}, {ar: "لارسون", lat: ls("Larsson")}, {ar: "أولسون", lat: ls("Olsson")},
	{ar: "بيرسون", lat: ls("Persson")}, {ar: "سفينسون", lat: ls("Svensson")},
	{ar: "ليندكفيست", lat: ls("Lindqvist", "Lindquist")}, {ar: "بيرغ", lat: ls("Berg")},
	{ar: "ليندستروم", lat: ls("Lindström", "Lindstrom")}, {ar: "أوبيرغ", lat: ls("Öberg", "Oberg")},
	{ar: "هانسن", lat: ls("Hansen")}, {ar: "ينسن", lat: ls("Jensen")}, {ar: "فيرتانن", lat: ls("Virtanen")},
	{ar: "كورهونن", lat: ls("Korhonen")},
}

var frenchMale = []nameEntry{
	{ar: "جان", lat: ls("Jean")}, {ar: "بيير", lat: ls("Pierre")}, {ar: "نيكولا", lat: ls("Nicolas")},
	{ar: "جوليان", lat: ls("Julien")}, {ar: "توما", lat: ls("Thomas")}, {ar: "ماكسيم", lat: ls("Maxime")},
	{ar: "كيفن", lat: ls("Kévin", "Kevin")}, {ar: "رومان", lat: ls("Romain")},
	{ar: "ميكائيل", lat: ls("Mickaël", "Mickael")}, {ar: "جيروم", lat: ls("Jérôme", "Jerome")},
	{ar: "سيباستيان", lat: ls("Sébastien", "Sebastien")}, {ar: "فابيان", lat: ls("Fabien")},
	{ar: "كانتان", lat: ls("Quentin")}, {ar: "فلوران", lat: ls("Florent")},
}

var frenchFemale = []nameEntry{
	{ar: "إيميلي", lat: ls("Émilie", "Emilie")}, {ar: "مارين", lat: ls("Marine")}, {ar: "كاميل", lat: ls("Camille")},
	{ar: "جولي", lat: ls("Julie")}, {ar: "ميلاني", lat: ls("Mélanie", "Melanie")}, {ar: "صوفي", lat: ls("Sophie")},
	{ar: "سيلين", lat: ls("Céline", "Celine")}, {ar: "أوريلي", lat: ls("Aurélie", "Aurelie")},
	{ar: "لورا", lat: ls("Laura")}, {ar: "مانون", lat: ls("Manon")},
}

var frenchFamily = []nameEntry{
	{ar: "مارتان", lat: ls("Martin")}, {ar: "برنار", lat: ls("Bernard")}, {ar: "دوبوا", lat: ls("Dubois")},
	{ar: "دوران", lat: ls("Durand")}, {ar: "لوفيفر", lat: ls("Lefèvre", "Lefevre")}, {ar: "مورو", lat: ls("Moreau")},
	{ar: "لوران", lat: ls("Laurent")}, {ar: "جيرار", lat: ls("Girard")}, {ar: "رو", lat: ls("Roux")},
	{ar: "فورنييه", lat: ls("Fournier")}, {ar: "غارنييه", lat: ls("Garnier")},
	{ar: "كليمان", lat: ls("Clément", "Clement")}, {ar: "ميرسييه", lat: ls("Mercier")},
	{ar: "لومير", lat: ls("Lemaire")}, {ar: "دوبون", lat: ls("Dupont")},
}

var britishMale = []nameEntry{
	{ar: "جيمس", lat: ls("James")}, {ar: "جون", lat: ls("John")}, {ar: "توماس", lat: ls("Thomas")},
	{ar: "دانيال", lat: ls("Daniel")}, {ar: "جاك", lat: ls("Jack")}, {ar: "مايكل", lat: ls("Michael")},
	{ar: "ريتشارد", lat: ls("Richard")}, {ar: "ألكسندر", lat: ls("Alexander")}, {ar: "ماثيو", lat: ls("Matthew")},
	{ar: "كريستوفر", lat: ls("Christopher")}, {ar: "رايان", lat: ls("Ryan")}, {ar: "ليام", lat: ls("Liam")},
}

var britishFemale = []nameEntry{
	{ar: "سارة", lat: ls("Sarah")}, {ar: "إميلي", lat: ls("Emily")}, {ar: "شارلوت", lat: ls("Charlotte")},
	{ar: "لورا", lat: ls("Laura")}, {ar: "ريبيكا", lat: ls("Rebecca")}, {ar: "هانا", lat: ls("Hannah")},
	{ar: "جيسيكا", lat: ls("Jessica")}, {ar: "إيمي", lat: ls("Amy")}, {ar: "لورين", lat: ls("Lauren")},
}

var britishFamily = []nameEntry{
	{ar: "سميث", lat: ls("Smith")}, {ar: "جونز", lat: ls("Jones")}, {ar: "تايلور", lat: ls("Taylor")},
	{ar: "براون", lat: ls("Brown")}, {ar: "ويليامز", lat: ls("Williams")}, {ar: "ويلسون", lat: ls("Wilson")},
	{ar: "ديفيز", lat: ls("Davies")}, {ar: "إيفانز", lat: ls("Evans")}, {ar: "ووكر", lat: ls("Walker")},
	{ar: "رايت", lat: ls("Wright")}, {ar: "جونسون", lat: ls("Johnson")}, {ar: "روبرتس", lat: ls("Roberts")},
	{ar: "مورفي", lat: ls("Murphy")}, {ar: "أوبراين", lat: ls("O'Brien", "OBrien")}, {ar: "كامبل", lat: ls("Campbell")},
}

var germanMale = []nameEntry{
	{ar: "توماس", lat: ls("Thomas")}, {ar: "ميشائيل", lat: ls("Michael")}, {ar: "أندرياس", lat: ls("Andreas")},
	{ar: "شتيفان", lat: ls("Stefan", "Stephan")}, {ar: "كريستيان", lat: ls("Christian")},
	{ar: "ماركوس", lat: ls("Markus", "Marcus")}, {ar: "توبياس", lat: ls("Tobias")}, {ar: "فلوريان", lat: ls("Florian")},
	{ar: "يان", lat: ls("Jan")}, {ar: "دينيس", lat: ls("Dennis")}, {ar: "سفين", lat: ls("Sven")},
	{ar: "لوكاس", lat: ls("Lukas", "Lucas")},
}

var germanFemale = []nameEntry{
	{ar: "كاتارينا", lat: ls("Katharina", "Katarina")}, {ar: "يوليا", lat: ls("Julia")}, {ar: "ليزا", lat: ls("Lisa")},
	{ar: "زابينه", lat: ls("Sabine")}, {ar: "نادين", lat: ls("Nadine")}, {ar: "جنيفر", lat: ls("Jennifer")},
	{ar: "ساندرا", lat: ls("Sandra")}, {ar: "آنا", lat: ls("Anna")},
}

var germanFamily = []nameEntry{
	{ar: "مولر", lat: ls("Müller", "Mueller", "Muller")}, {ar: "شميت", lat: ls("Schmidt")},
	{ar: "شنايدر", lat: ls("Schneider")}, {ar: "فيشر", lat: ls("Fischer")}, {ar: "فيبر", lat: ls("Weber")},
	{ar: "ماير", lat: ls("Meyer", "Meier")}, {ar: "فاغنر", lat: ls("Wagner")}, {ar: "بيكر", lat: ls("Becker")},
	{ar: "شولتس", lat: ls("Schulz")}, {ar: "هوفمان", lat: ls("Hoffmann")}, {ar: "كوخ", lat: ls("Koch")},
	{ar: "باور", lat: ls("Bauer")}, {ar: "غروبر", lat: ls("Gruber")}, {ar: "هوبر", lat: ls("Huber")},
}

var dutchMale = []nameEntry{
	{ar: "يان", lat: ls("Jan")}, {ar: "بيتر", lat: ls("Pieter")}, {ar: "دان", lat: ls("Daan")},
	{ar: "ساندر", lat: ls("Sander")}, {ar: "برام", lat: ls("Bram")}, {ar: "يوست", lat: ls("Joost")},
	{ar: "تايس", lat: ls("Thijs")}, {ar: "روبن", lat: ls("Ruben")},
}

var dutchFemale = []nameEntry{
	{ar: "أنوك", lat: ls("Anouk")}, {ar: "سانه", lat: ls("Sanne")}, {ar: "لوته", lat: ls("Lotte")},
	{ar: "إيفا", lat: ls("Eva")}, {ar: "فيمكه", lat: ls("Femke")}, {ar: "فلور", lat: ls("Fleur")},
}

var dutchFamily = []nameEntry{
	{ar: "دي فريس", lat: ls("de Vries")}, {ar: "فان دايك", lat: ls("van Dijk", "van Dyk")},
	{ar: "باكر", lat: ls("Bakker")}, {ar: "يانسن", lat: ls("Janssen", "Jansen")}, {ar: "فيسر", lat: ls("Visser")},
	{ar: "بيترز", lat: ls("Peeters")}, {ar: "ماس", lat: ls("Maes")}, {ar: "ياكوبس", lat: ls("Jacobs")},
	{ar: "ويليمز", lat: ls("Willems")}, {ar: "سميت", lat: ls("Smit")}, {ar: "دي يونغ", lat: ls("de Jong")},
	{ar: "ميرتنز", lat: ls("Mertens")},
}

var southEuropeanMale = []nameEntry{
	{ar: "ماركو", lat: ls("Marco")}, {ar: "لوكا", lat: ls("Luca")}, {ar: "جوزيبي", lat: ls("Giuseppe")},
	{ar: "أليساندرو", lat: ls("Alessandro")}, {ar: "خوسيه", lat: ls("José", "Jose")}, {ar: "دافيد", lat: ls("David")},
	{ar: "خافيير", lat: ls("Javier")}, {ar: "جواو", lat: ls("João", "Joao")}, {ar: "بيدرو", lat: ls("Pedro")},
}

var southEuropeanFemale = []nameEntry{
	{ar: "جوليا", lat: ls("Giulia")}, {ar: "فرانشيسكا", lat: ls("Francesca")}, {ar: "ماريا", lat: ls("María", "Maria")},
	{ar: "لوسيا", lat: ls("Lucía", "Lucia")}, {ar: "آنا", lat: ls("Ana")}, {ar: "صوفيا", lat: ls("Sofia")},
}

var southEuropeanFamily = []nameEntry{
	{ar: "روسي", lat: ls("Rossi")}, {ar: "روسو", lat: ls("Russo")}, {ar: "فيراري", lat: ls("Ferrari")},
	{ar: "إسبوزيتو", lat: ls("Esposito")}, {ar: "غارسيا", lat: ls("García", "Garcia")},
	{ar: "فرنانديز", lat: ls("Fernández", "Fernandez")}, {ar: "لوبيز", lat: ls("López", "Lopez")},
	{ar: "مارتينيز", lat: ls("Martínez", "Martinez")}, {ar: "سيلفا", lat: ls("Silva")},
	{ar: "سانتوس", lat: ls("Santos")}, {ar: "فيريرا", lat: ls("Ferreira")},
}

var balkanMale = []nameEntry{
	{ar: "عدنان", lat: ls("Adnan")}, {ar: "أمير", lat: ls("Emir")}, {ar: "عامر", lat: ls("Amer")},
	{ar: "ميرزا", lat: ls("Mirza")}, {ar: "أربن", lat: ls("Arben")}, {ar: "إلير", lat: ls("Ilir")},
	{ar: "بسنيك", lat: ls("Besnik")}, {ar: "إيدين", lat: ls("Edin")}, {ar: "أرمين", lat: ls("Armin")},
	{ar: "فالون", lat: ls("Valon")},
}

var balkanFemale = []nameEntry{
	{ar: "أمرا", lat: ls("Amra")}, {ar: "ليلى", lat: ls("Lejla")}, {ar: "أمينة", lat: ls("Emina")},
	{ar: "سلمى", lat: ls("Selma")}, {ar: "أرتا", lat: ls("Arta")}, {ar: "بليرتا", lat: ls("Blerta")},
	{ar: "ميريتا", lat: ls("Merita")},
}

var balkanFamily = []nameEntry{
	{ar: "هوجيتش", lat: ls("Hodžić", "Hodzic")}, {ar: "مهمدوفيتش", lat: ls("Mehmedović", "Mehmedovic")},
	{ar: "بيغيتش", lat: ls("Begić", "Begic")}, {ar: "حسنوفيتش", lat: ls("Hasanović", "Hasanovic")},
	{ar: "هوسيتش", lat: ls("Husić", "Husic")}, {ar: "كراسنيتشي", lat: ls("Krasniqi")},
	{ar: "بريشا", lat: ls("Berisha")}, {ar: "غاشي", lat: ls("Gashi")}, {ar: "هوجا", lat: ls("Hoxha", "Hodja")},
	{ar: "شالا", lat: ls("Shala")}, {ar: "سليمي", lat: ls("Selimi")}, {ar: "أديمي", lat: ls("Ademi")},
}
