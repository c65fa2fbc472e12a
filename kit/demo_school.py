"""Who and what the demo school is: its accounts, rooms, people, equipment and calls.

Data only, kept apart from how it is loaded (`kit.demo`), so whoever changes the demo's
story, or a test that checks it, finds all of it in one place.
"""

from __future__ import annotations

DEMO_PASSWORD = "demo-school-2026"
DEMO_ACCOUNTS = (
    # user name, full name, roles, groups
    ("office", "Olive Office", {"desk"}, ()),
    ("tech", "Tom Technician", {"technician"}, ("Service Delivery",)),
    ("tina", "Tina Network", {"technician"}, ("Technology Integration",)),
    ("coordinator", "Carla Coordinator", {"coordinator"}, ()),
    ("head", "Harriet Head", {"leader"}, ()),
    ("admin", "Adam Admin", {"admin", "desk"}, ()),
)
TEAM_LEADERS = {
    "Service Delivery": "tech",
    "Technology Integration": "tina",
    "Service Desk": "office",
}

LOCATIONS = (
    # site, building, room, teaching space
    ("Main site", "Old Building", "Room 1", 1),
    ("Main site", "Old Building", "Room 2", 1),
    ("Main site", "Old Building", "Room 3", 1),
    ("Main site", "Old Building", "School Office", 0),
    ("Main site", "Old Building", "Staff Room", 0),
    ("Main site", "Science Block", "Lab S1", 1),
    ("Main site", "Science Block", "Lab S2", 1),
    ("Main site", "Science Block", "Prep Room", 0),
    ("Main site", "Library", "ICT Suite", 1),
    ("Main site", "Library", "Library", 1),
    ("Main site", "Sports Hall", "Main Hall", 1),
    ("Sixth Form Centre", "Centre", "Seminar Room A", 1),
    ("Sixth Form Centre", "Centre", "Study Area", 0),
    ("Sixth Form Centre", "Centre", "Server Room", 0),
)

PEOPLE = (
    ("Ann Teacher", "English", "Teacher", "ann.teacher", "201"),
    ("Ben Science", "Science", "Head of Science", "ben.science", "231"),
    ("Chloe Maths", "Mathematics", "Teacher", "chloe.maths", "212"),
    ("Dev Patel", "Computing", "Teacher", "dev.patel", "240"),
    ("Emma Librarian", "Library", "Librarian", "emma.librarian", "250"),
    ("Femi Adeyemi", "Humanities", "Teacher", "femi.adeyemi", "214"),
    ("Grace Bursar", "Office", "School Business Manager", "grace.bursar", "100"),
    ("Hugo Music", "Music", "Teacher", "hugo.music", "260"),
    ("Isla Reception", "Office", "Receptionist", "isla.reception", "101"),
    ("Jack PE", "Physical Education", "Teacher", "jack.pe", "270"),
    ("Kiran Sixth", "Sixth Form", "Head of Sixth Form", "kiran.sixth", "300"),
    ("Lena SENCo", "Learning Support", "SENCo", "lena.senco", "220"),
    ("Marta Languages", "Languages", "Teacher", "marta.languages", "216"),
    ("Noah Deputy", "Leadership", "Deputy Head", "noah.deputy", "110"),
    ("Priya Geography", "Humanities", "Teacher", "priya.geography", "215"),
)

EQUIPMENT = (
    # tag, type, make, model, serial, room, supplier
    ("PRJ-001", "Projector", "Epson", "EB-2250U", "X5JK100231", "Room 1", "AV Direct"),
    ("PRJ-002", "Projector", "Epson", "EB-2250U", "X5JK100245", "Room 2", "AV Direct"),
    (
        "IWB-003",
        "Interactive display",
        "Promethean",
        "ActivPanel 9",
        "AP9-77812",
        "Room 3",
        "AV Direct",
    ),
    ("PRJ-006", "Projector", "BenQ", "MH560", "PDB7A0112", "Lab S1", "AV Direct"),
    ("IWB-007", "Interactive display", "SMART", "MX275", "SBID-MX2-3381", "Lab S2", "AV Direct"),
    ("PC-101", "Desktop PC", "Dell", "OptiPlex 7010", "7GH2KX3", "Room 1", "Dell"),
    ("PC-102", "Desktop PC", "Dell", "OptiPlex 7010", "7GH2KX4", "Room 2", "Dell"),
    ("PC-103", "Desktop PC", "Dell", "OptiPlex 7010", "7GH2KX5", "Room 3", "Dell"),
    ("PC-901", "Desktop PC", "HP", "ProDesk 400 G9", "CZC3401AB", "ICT Suite", "HP"),
    ("PC-902", "Desktop PC", "HP", "ProDesk 400 G9", "CZC3401AC", "ICT Suite", "HP"),
    ("PC-903", "Desktop PC", "HP", "ProDesk 400 G9", "CZC3401AD", "ICT Suite", "HP"),
    (
        "PRN-OFF",
        "Printer",
        "Kyocera",
        "TASKalfa 3554ci",
        "W2R9012345",
        "School Office",
        "Copier Co",
    ),
    ("PRN-STF", "Printer", "HP", "LaserJet M507", "PHBQB12345", "Staff Room", "HP"),
    ("PRN-LIB", "Printer", "Brother", "HL-L8360CDW", "E78123K1N", "Library", "Brother"),
    ("LAP-CART1", "Laptop trolley", "LapSafe", "Diamond 32", "LS-32-0091", "Library", "LapSafe"),
    (
        "AP-HALL",
        "Wireless access point",
        "Ubiquiti",
        "U6 Pro",
        "UBQ-6P-7781",
        "Main Hall",
        "Net Services",
    ),
    ("SRV-01", "Server", "Dell", "PowerEdge T350", "9XK2LM3", "Server Room", "Dell"),
    ("SND-HALL", "Sound system", "Bose", "FreeSpace", "BOSE-FS-221", "Main Hall", "AV Direct"),
)

CALLS = (
    # minutes ago, caller, room, asset, category, summary, details
    (
        20,
        "Ann Teacher",
        "Room 1",
        "PRJ-001",
        "Teaching Space Technology",
        None,
        "Projector shows 'No signal' with the PC on. Lesson in progress, tried the input "
        "button on the remote.",
    ),
    (
        95,
        "Grace Bursar",
        "School Office",
        "PRN-OFF",
        "Printer or copier",
        "Office copier jams on every double-sided copy",
        "Paper jam in tray 2 (error J-0511).",
    ),
    (
        300,
        "Emma Librarian",
        "Library",
        None,
        "Network or Wi-Fi",
        "Wi-Fi drops in the library every few minutes",
        "Pupils lose connection on laptops.",
    ),
    (
        1500,
        "Marta Languages",
        None,
        None,
        "Password reset or locked account",
        "Locked out of email after password change",
        "Says 'Your account has been locked'.",
    ),
    (
        2900,
        "Dev Patel",
        "ICT Suite",
        "PC-902",
        "Software installation",
        "Install Python and Thonny on ICT Suite PCs",
        "Needed for Year 9 from next week.",
    ),
    (
        4300,
        "Noah Deputy",
        None,
        None,
        "MIS or school management system",
        "Registers will not save in the MIS",
        "Error 0x80070005 access denied when saving.",
    ),
    (
        7000,
        "Hugo Music",
        "Main Hall",
        "SND-HALL",
        "Projector or interactive display",
        "Hall sound system hums through the speakers",
        "Loud hum when the projector is on.",
    ),
    (
        10000,
        "Ben Science",
        "Lab S2",
        "IWB-007",
        "Projector or interactive display",
        "Interactive display touch is offset by 2 cm",
        "Needs calibrating.",
    ),
)


DEMO_PUBLIC_URL = "https://helpdesk.northfield.example"

# How each demo call came in (in the order of CALLS), so the call log shows every channel.
CHANNELS = (
    "Phone",
    "In person",
    "Email",
    "Answerphone",
    "Paper sheet in the tray",
    "Log book",
    "Phone",
    "Phone",
)
