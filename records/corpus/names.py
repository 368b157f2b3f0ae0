"""Name pools and the ways sources spell the same name differently."""

from __future__ import annotations

import random

FIRST_NAMES = [
    "Asim", "Anil", "Sunil", "Rajesh", "Ramesh", "Suresh", "Mahesh", "Dinesh", "Mukesh", "Rakesh",
    "Vijay", "Ajay", "Sanjay", "Akhilesh", "Yogesh", "Brajesh", "Devendra", "Narendra", "Surendra",
    "Rajendra", "Virendra", "Jitendra", "Dharmendra", "Pradeep", "Sandeep", "Kuldeep", "Amit", "Sumit",
    "Rohit", "Mohit", "Arun", "Varun", "Tarun", "Karan", "Arjun", "Vikram", "Prakash", "Om", "Shiv",
    "Ram", "Shyam", "Gopal", "Krishna", "Keshav", "Madhav", "Sita", "Gita", "Anita", "Sunita", "Kavita",
    "Savita", "Mayawati", "Rekha", "Meena", "Seema", "Neelam", "Pooja", "Priya", "Anjali", "Swati",
    "Deepa", "Shalini", "Mamta", "Usha", "Asha", "Lata", "Jaya", "Rita", "Nisha", "Aarti", "Sadhna",
    "Naseem", "Imran", "Salim", "Javed", "Rashid", "Shahid", "Azam", "Farhan", "Nasreen", "Shabana",
]  # fmt: skip
FEMALE = frozenset(FIRST_NAMES[FIRST_NAMES.index("Sita") : FIRST_NAMES.index("Naseem")]) | {"Nasreen", "Shabana"}
MIDDLE_NAMES = ["Kumar", "Prasad", "Nath", "Chandra", "Pratap", "Narayan", "Singh", "Lal", "Devi", "Rani"]
SURNAMES = [
    "Arun", "Yadav", "Singh", "Sharma", "Verma", "Gupta", "Mishra", "Tiwari", "Pandey", "Shukla",
    "Dubey", "Tripathi", "Chaturvedi", "Srivastava", "Saxena", "Agarwal", "Jain", "Maurya", "Kushwaha",
    "Patel", "Kurmi", "Rajbhar", "Nishad", "Jatav", "Valmiki", "Pasi", "Kori", "Khan", "Ansari",
    "Qureshi", "Siddiqui", "Rizvi", "Chauhan", "Rathore", "Tomar", "Thakur", "Bhadauria", "Sengar",
    "Rawat", "Negi", "Bisht", "Joshi", "Pant", "Chaudhary", "Malik", "Tyagi", "Baghel", "Lodhi",
]  # fmt: skip
SOCIAL_GROUPS = ["Dalit", "OBC", "Brahmin", "Thakur", "Jat", "Muslim", "Yadav", "Kurmi", "Bania"]

STATES = [
    "Uttar Pradesh", "Bihar", "Madhya Pradesh", "Rajasthan", "Maharashtra", "Gujarat", "Karnataka",
    "Tamil Nadu", "Kerala", "West Bengal", "Odisha", "Punjab", "Haryana", "Uttarakhand", "Jharkhand",
    "Chhattisgarh", "Assam", "Telangana", "Andhra Pradesh", "Himachal Pradesh", "Goa", "Tripura",
    "Manipur", "Meghalaya", "Nagaland", "Mizoram", "Sikkim", "Arunachal Pradesh",
]  # fmt: skip
STATE_ABBREVIATIONS = {
    "Uttar Pradesh": "UP", "Madhya Pradesh": "MP", "Tamil Nadu": "TN", "West Bengal": "WB",
    "Himachal Pradesh": "HP", "Andhra Pradesh": "AP", "Arunachal Pradesh": "AR",
}  # fmt: skip
PLACE_STEMS = [
    "Ram", "Sita", "Hari", "Shiv", "Gopal", "Chandan", "Kanchan", "Moti", "Lal", "Hira", "Ratan", "Bhim",
    "Sultan", "Fateh", "Azam", "Shah", "Raj", "Dev", "Surya", "Chandra", "Indra", "Kamal", "Ganga", "Yamuna",
    "Sona", "Amar", "Bala", "Kesar", "Basti", "Mau", "Etah", "Hamir", "Lakh", "Nawab", "Padma", "Kush",
]  # fmt: skip
PLACE_SUFFIXES = ["pur", "nagar", "abad", "ganj", "garh", "pura", "kot", "gaon", "bad", "dih"]

NATIONAL_PARTIES = [
    ("Bharatiya Janata Party", "BJP", ["Bhartiya Janta Party", "Bharatiya Janata Parti"]),
    ("Indian National Congress", "INC", ["Congress", "Congress Party"]),
    ("Bahujan Samaj Party", "BSP", ["Bahujan Samaj Parti"]),
    ("Samajwadi Party", "SP", ["Samajwadi Parti", "Samajvadi Party"]),
    ("Communist Party of India (Marxist)", "CPI(M)", ["CPM"]),
    ("Communist Party of India", "CPI", []),
    ("Nationalist Congress Party", "NCP", []),
    ("Aam Aadmi Party", "AAP", ["Aam Admi Party"]),
    ("Rashtriya Lok Dal", "RLD", ["Rashtriya Lokdal"]),
    ("Janata Dal (United)", "JD(U)", ["JDU"]),
    ("Rashtriya Janata Dal", "RJD", []),
    ("All India Trinamool Congress", "AITC", ["TMC", "Trinamool"]),
]

# (role, rank) careers in a police force, a service and a legislature.
POLICE_POSTS = [
    ("Superintendent of Police", "SP"),
    ("Senior Superintendent of Police", "SSP"),
    ("Deputy Inspector General of Police", "DIG"),
    ("Inspector General of Police", "IG"),
    ("Additional Director General of Police", "ADG"),
    ("Commissioner of Police", "ADG"),
    ("Director General of Police", "DGP"),
]
SERVICE_POSTS = [
    ("Sub-Divisional Magistrate", ""),
    ("Chief Development Officer", ""),
    ("District Magistrate", ""),
    ("Divisional Commissioner", ""),
    ("Principal Secretary", ""),
]
PARTY_ROLES = ["member", "member", "member", "district president", "state secretary", "spokesperson", "leader"]

# Transliteration habits of news sources: each pair may replace the other.
_SPELLINGS = [("ee", "i"), ("oo", "u"), ("sh", "s"), ("v", "w"), ("aa", "a"), ("ph", "f"), ("ks", "x")]


def spelling_variants(name: str) -> list[str]:
    """Other spellings of ``name`` that sources use ("Rakesh" -> "Rakes", "Vijay" -> "Wijay")."""
    out = []
    lowered = name.lower()
    for a, b in _SPELLINGS:
        for old, new in ((a, b), (b, a)):
            at = lowered.find(old)
            if at > 0:  # never the first letter: "Sharma" stays recognisable
                out.append(name[:at] + new + name[at + len(old) :])
    if name.endswith("a") and len(name) > 4:
        out.append(name[:-1])  # "Rama" -> "Ram"
    return out


def initials(first: str, middle: str, surname: str) -> str:
    """ "Asim Kumar Arun" -> "A. K. Arun"."""
    parts = [first, middle] if middle else [first]
    return " ".join(f"{p[0]}." for p in parts) + f" {surname}"


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A new town-like name ("Ratanpur", "Kamalnagar 2" when the pool runs dry)."""
    for _ in range(20):
        name = rng.choice(PLACE_STEMS) + rng.choice(PLACE_SUFFIXES)
        if name not in taken:
            taken.add(name)
            return name
    name = f"{rng.choice(PLACE_STEMS)}{rng.choice(PLACE_SUFFIXES)} {len(taken)}"
    taken.add(name)
    return name
