"""Maple & Co.'s customers for the demo: a year of support tickets, product reviews and
post-purchase survey answers, written for the demo (no real customer's words).

Maple & Co. is an online homeware shop (bedding, kitchenware, lamps, a monthly "Maple Box"
subscription and an app). The patterns are written to be found:

- about four months before today Maple changed courier (Northway -> ParcelDash): for a month,
  late and damaged deliveries and the frustration that comes with them spike;
- about seven weeks before today an app-login bug lasted two weeks;
- some customers go from delighted to furious over the year, others from furious to recovered;
- agents in Support reply with very different empathy: some excellent, some curt, some
  dismissive or blaming;
- the seed case of the product brief: Eleanor Whitfield (`SEED_CASE_KEY`), a loyal customer
  whose latest word is a quietly disappointed three-star review nobody has answered yet.

Deterministic (a fixed random seed); the dates count back from `today`. The texts are not
analysed here: heard_nlp fills the analysis fields in the background.
`build_customer_demo(org, items=500_000)` builds the benchmark's large history, in chunks.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.customers.models import Channel, Customer, FollowUp, Item, RatingScale
from heard.orgs.models import Organization, Person

SEED = 20261129
SEED_CASE_KEY = "cust-1"
SEED_CASE_NAME = "Eleanor Whitfield"
SEED_CASE_REVIEW = (
    "It's fine I guess, but the wool throw is a lot thinner than it looks in the photos, and "
    "the colour is more grey than the oatmeal I ordered. I've bought from you for years and "
    "always told friends about you, so I was looking forward to this one. I'll keep it, "
    "I suppose."
)
SOURCES: dict[str, str] = {
    Channel.TICKET: "helpdesk",
    Channel.REVIEW: "reviews",
    Channel.SURVEY: "survey",
}
# Days before today: the month after the courier change, and the fortnight of the login bug.
COURIER_WINDOW = (105, 135)
LOGIN_WINDOW = (46, 60)
OLD_COURIER, NEW_COURIER = "Northway", "ParcelDash"
BOX = "Maple Box"

DELIGHTED, SATISFIED, CONFUSED, DISAPPOINTED, FURIOUS = (
    "delighted",
    "satisfied",
    "confused",
    "disappointed",
    "furious",
)
MOODS = (DELIGHTED, SATISFIED, CONFUSED, DISAPPOINTED, FURIOUS)
TEMPERAMENTS = {  # mood weights, in the order of MOODS
    "happy": (0.40, 0.35, 0.12, 0.09, 0.04),
    "mixed": (0.15, 0.32, 0.22, 0.19, 0.12),
    "grumpy": (0.05, 0.15, 0.15, 0.30, 0.35),
}
PROBLEMS = ("late", "damaged", "wrong", "refund", "app", "subscription", "billing", "quality")
PROBLEM_WEIGHTS = (0.22, 0.15, 0.10, 0.15, 0.06, 0.10, 0.08, 0.14)

PRODUCTS = (
    "linen duvet cover",
    "oak serving board",
    "stoneware mug set",
    "wool throw",
    "ceramic table lamp",
    "glass carafe",
    "rattan laundry basket",
    "cast-iron casserole dish",
    "bamboo bath mat",
    "scented candle trio",
    "velvet cushion",
    "enamel kettle",
    "copper plant pot",
    "waffle bath towel set",
    "marble coaster set",
    "walnut wall shelf",
    "jute rug",
    "pleated lampshade",
    "linen napkin set",
    "stoneware dinner service",
    "seagrass storage basket",
    "brass candlestick",
    "cotton bedspread",
    "olive wood salad bowl",
    "glass pendant light",
    "herb garden kit",
)
SAFETY_PRODUCTS = ("ceramic table lamp", "enamel kettle", "glass pendant light", "candle trio")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
CODES = ("WELCOME10", "MAPLE15", "SPRING20", "FRIEND5", "BOXLOVE")
NTH = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}

FIRST_NAMES = (
    "Olivia", "James", "Amelia", "Oliver", "Isla", "Harry", "Ava", "George", "Mia", "Noah",
    "Grace", "Jack", "Freya", "Leo", "Ruby", "Arthur", "Evie", "Oscar", "Poppy", "Charlie",
    "Daisy", "Thomas", "Lily", "Alfie", "Sophie", "Jacob", "Chloe", "Henry", "Ella", "Theo",
    "Hannah", "Samuel", "Zara", "Joshua", "Imogen", "Mohammed", "Aaliyah", "Ravi", "Priyanka",
    "Tunde", "Ngozi", "Wei", "Mei", "Kenji", "Yuki", "Lucas", "Inès", "Mateo", "Lucía",
    "Jürgen", "Anneliese", "Siobhán", "Ciarán", "Rhys", "Carys", "Fiona", "Callum", "Morag",
    "Bernadette", "Derek", "Maureen", "Graham", "Pauline", "Trevor", "Shirley", "Kwabena",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Hill", "Cooper",
    "Ward", "Morris", "Moore", "Lewis", "Harris", "Martin", "Allen", "King", "Baker", "Price",
    "Begum", "Ali", "Singh", "Okafor", "Mensah", "Nguyen", "Chen", "Sato", "Fernández",
    "Müller", "Lefèvre", "O'Connor", "McLeod", "Gallagher", "Llewellyn", "Bishop", "Fletcher",
    "Holloway", "Pemberton", "Ashworth", "Kaur", "Novak", "Costa", "Lindgren", "Haddad",
)  # fmt: skip
DOMAINS = ("example.com", "example.org", "example.net")

# ---------------------------------------------------------------------------------------------
# What customers write. Slots: {product} {product2} {order} {days} {amount} {weekday} {courier}
# {old_courier} {box} {code} {nth} {first} {safety_product}.
# ---------------------------------------------------------------------------------------------
TICKET_OPENERS = {
    DELIGHTED: ("Hi there!", "Hello Maple team,", "Hi, hope you're all well.", "Hiya!", ""),
    SATISFIED: ("Hi,", "Hello,", "Good morning,", "Hi team,", ""),
    CONFUSED: (
        "Hi, quick question.",
        "Hello, sorry if this is a silly question.",
        "Hi there, I'm a bit stuck.",
        "Hi,",
        "Morning, hoping you can help.",
        "",
    ),
    DISAPPOINTED: ("Hi,", "Hello,", "Hi there,", "Hello again,", ""),
    FURIOUS: ("", "Hello??", "Right.", "Unbelievable.", "I'm absolutely fuming.", "Seriously?"),
}
TICKET_PRAISE = (
    "The {product} arrived this morning and it's even nicer than in the photos.",
    "Just wanted to say thank you: order {order} came a day early and beautifully packed.",
    "I ordered the {product} as a present for my sister and she loves it.",
    "This month's {box} was lovely, the {product} is already in use.",
    "Whoever answered my chat on {weekday} was brilliant, please pass on my thanks.",
    "Everything from order {order} arrived safe and sound.",
    "The {product} is exactly what our kitchen needed.",
    "Delivery was quick and the driver was really kind.",
    "I was a bit nervous ordering the {product} online but it's perfect.",
    "The refund for order {order} came through already, that was fast.",
    "Small thing, but I loved the handwritten note in the parcel.",
    "Third order this year and every one has been spot on.",
    "The {product} has transformed our spare room, honestly.",
)
TICKET_PRAISE_EXTRA = {
    DELIGHTED: (
        "You've got a customer for life!",
        "Keep doing what you're doing.",
        "Thank you so much!",
        "Made my week, honestly.",
        "I've already told half my street about you.",
    ),
    SATISFIED: (
        "Could you tell me if the {product2} will be back in stock soon?",
        "Do you do the {product} in a larger size?",
        "One small thing: the tracking link didn't work, but no harm done.",
        "Thanks.",
        "Will the {product2} come in other colours?",
    ),
}
TICKET_HOWTO = (
    "How do I change the delivery address on order {order}?",
    "How do I pause my {box} for a month? I can't find the option anywhere.",
    "Where do I enter a discount code? I have {code} but there's no box for it at checkout.",
    "Can you tell me how to wash the {product}? There was no care label.",
    "I've been charged {amount} but I can't see the order in my account. Where would it be?",
    "How do I return one item from order {order} and keep the rest?",
    "Is there a way to track order {order}? The link in the email just goes to the home page.",
    "I'm not sure if my {box} renews automatically. How do I check?",
    "How long does a refund usually take to show on my card?",
    "Can I swap the {product} for a different colour, or do I have to return it and reorder?",
    "I tried to use a gift card at checkout and it said 'invalid balance'. What am I doing wrong?",
    "How do I reset my password in the app? The link only seems to work on the website.",
    "Who delivers now? I got a text from {courier} and wasn't sure if it was a scam.",
    "Do I need to be in for the delivery of the {product}, or can it be left with a neighbour?",
    "Can I change which day my {box} arrives? {weekday}s don't work for me any more.",
    "I ordered two of the {product} by mistake. Can I cancel one before it ships?",
    "Is the {product} safe to put in the dishwasher?",
    "How do I merge my two accounts? I think I made one with my old email.",
    "What size bulb does the {product} take?",
    "Can I add a gift message to order {order} after paying?",
)
TICKET_HOWTO_EXTRA = (
    "Thanks in advance.",
    "Sorry, I'm sure it's obvious!",
    "Any help appreciated.",
    "Thanks!",
    "I've looked through the help pages but couldn't see it.",
    "",
)
DISAPPOINTED_BODIES = {
    "late": (
        "It's fine I guess, but order {order} arrived {days} days later than you said.",
        "The parcel got here in the end, just not on {weekday} as promised, so I'd taken the day off for nothing.",
        "Not a big deal, but the tracking said 'out for delivery' three days running.",
        "Deliveries used to be so reliable with {old_courier}. This one took {days} days.",
    ),
    "damaged": (
        "The {product} arrived with a chip on the rim. I'll keep it, but it's a shame.",
        "The box was quite crushed and the {product} has a scratch down one side. Not the end of the world.",
        "It's usable, but the {product} had clearly been dropped somewhere along the way.",
    ),
    "wrong": (
        "The parcel had the {product2} in it instead of the {product}. Not sure what happened there.",
        "The colour isn't the one I ordered. It's fine I guess, but it doesn't go with anything in the room.",
    ),
    "refund": (
        "I returned the {product} {days} days ago and haven't seen the refund yet. Just checking.",
        "The refund came through but it was {amount} less than I paid, which I didn't expect.",
    ),
    "app": (
        "The app logged me out again and I couldn't get back in, so I gave up on the order.",
        "I keep getting 'something went wrong' when I log in. I'll try again later I suppose.",
    ),
    "subscription": (
        "This month's {box} felt a bit thin compared to the first ones, to be honest.",
        "I've had the same candle in my {box} twice now. A bit disappointing.",
    ),
    "billing": (
        "I think I was charged twice for order {order}, {amount} both times. Could you have a look?",
        "The price went up between my basket and the checkout. Only by a bit, but still.",
    ),
    "quality": (
        "The {product} looks nice but it's smaller than the photos suggest.",
        "After a couple of washes the {product} has started to bobble. I expected it to last longer.",
        "It's fine I guess, but for {amount} I expected the {product} to feel a bit more solid.",
    ),
}
DISAPPOINTED_EXTRA = (
    "I'm not angry, just a bit let down.",
    "I used to recommend you to everyone.",
    "Not sure I'll order again, to be honest.",
    "Just thought you should know.",
    "Could someone take a look when you have a moment?",
    "It's a shame, because I really liked the last one.",
    "",
)
FURIOUS_BODIES = {
    "late": (
        "I have been waiting {days} days for order {order}!!",
        "Your new courier {courier} has 'attempted delivery' three times and nobody has EVER knocked on my door.",
        "Where is my order?? {order} was supposed to be here on {weekday}.",
        "Since you switched to {courier} every single delivery has been late.",
    ),
    "damaged": (
        "The {product} arrived SMASHED. Again.",
        "The {courier} driver threw the parcel over my gate and the {product} is in pieces.",
        "Second damaged {product} in a row. Do you even pack these things?",
    ),
    "wrong": (
        "You sent me the wrong item AGAIN. I ordered the {product}, not the {product2}.",
        "Half of order {order} is missing and the other half isn't even what I ordered!",
    ),
    "refund": (
        "I returned the {product} {days} days ago and I STILL haven't had my {amount} back.",
        "You've had my return for weeks. Where is my refund?!",
    ),
    "app": (
        "Your app won't let me log in, the code never arrives and now my basket is gone!",
        "I've reset my password four times today. FOUR. The app still says 'invalid session'.",
    ),
    "subscription": (
        "I cancelled my {box} last month and you've charged me {amount} anyway.",
        "I paused the {box} and it was sent anyway, and now I'm being charged for it.",
    ),
    "billing": (
        "You've taken {amount} out of my account TWICE for the same order.",
        "Three charges of {amount} on my card and only one order. Explain that.",
    ),
    "quality": (
        "The handle came off the {product} on the second day. This is rubbish.",
        "The {product} fell apart within a week. Absolute junk for {amount}.",
    ),
}
FURIOUS_EXTRA = (
    "If this isn't sorted by {weekday} I'm doing a chargeback.",
    "Cancel my subscription. I'm done.",
    "I want a full refund, not a voucher.",
    "I'm telling everyone I know not to order from you.",
    "Absolutely ridiculous!!!",
    "I will be leaving a review everywhere I can.",
    "Don't send me another automated email, I want a real person to call me.",
    "I'm going to my bank about this.",
    "This is the worst customer service I have ever had.",
    "SORT IT OUT.",
    "Close my account.",
)
REPEAT_PREFIXES = (
    "This is the {nth} time I'm writing about order {order}.",
    "I wrote on {weekday} and nobody has replied.",
    "Following up AGAIN.",
    "Still waiting to hear back about this.",
    "As I said in my last message, this still isn't fixed.",
    "{nth} email about the same thing.",
)
URGENT_BODIES = (
    "I need this to arrive by {weekday}: it's a wedding present and the wedding is that day.",
    "Please can someone call me today, I'm moving house tomorrow and the delivery is booked to the old address.",
    "Urgent: I've been charged {amount} three times and my rent goes out tomorrow.",
)
SAFETY_BODIES = (
    "The {safety_product} got extremely hot and the glass cracked while it was on. My son was right next to it.",
    "The plug on the {safety_product} sparked when I switched it on. I've unplugged it but I'm worried it's dangerous.",
    "The handle of the enamel kettle came off while it was full of boiling water and I burnt my hand.",
    "There was a strong burning smell from the {safety_product} and the base is scorched. Is it safe?",
)

REVIEWS = {
    DELIGHTED: (
        "Absolutely love the {product}. Beautiful quality and it arrived in two days.",
        "Gorgeous {product}, exactly like the photos. Will definitely order again.",
        "Beautifully packed, arrived quickly and the {product} looks stunning in our living room.",
        "Best homeware shop I've found online. The {product} is a real treat.",
        "Bought the {product} as a housewarming gift and my friends were delighted.",
        "Lovely customer service too: they swapped my {product} for another colour without any fuss.",
    ),
    SATISFIED: (
        "Nice {product}, good value. Delivery took a little longer than expected.",
        "Solid {product}, does the job. Packaging could use less plastic.",
        "Pleased with the {product}. Slightly different shade than on screen but still nice.",
        "Good quality for the price. The {box} is a nice monthly treat.",
        "Happy with my order, though the tracking updates were a bit vague.",
    ),
    CONFUSED: (
        "The {product} looks good but there were no instructions, so it took a while to work out.",
        "Decent, but I couldn't work out how to apply my discount code, so I paid full price.",
        "Nice enough. Not sure why it came in two separate parcels on different days.",
    ),
    DISAPPOINTED: (
        "It's fine I guess, but the {product} is smaller than it looks and the colour is duller.",
        "Arrived late and the box was battered. The {product} survived, just about.",
        "Okay product, but I expected more for {amount}.",
        "Used to love Maple & Co. Lately the deliveries have been hit and miss.",
        "Not bad, not great. The {product} started to fade after a few washes.",
        "Nice enough, but it took three emails to get a simple answer about delivery.",
    ),
    FURIOUS: (
        "AVOID. My {product} arrived broken and I'm still waiting for a refund after {days} days.",
        "Terrible. {courier} lost my parcel and customer service just sent me a link to the FAQ.",
        "One star because I can't give zero. Charged twice, no reply to my emails.",
        "Since the courier change every delivery has been late or damaged. Never again!!",
        "The app won't let me log in and nobody answers. Shocking service.",
        "Rude agent told me I should have read the instructions. I did. The {product} was faulty.",
    ),
}
REVIEW_EXTRA = {
    "positive": (
        "Highly recommend.",
        "Five stars from me.",
        "Already planning my next order.",
        "The little thank-you card was a nice touch.",
        "",
    ),
    "neutral": ("Might order again.", "We'll see how it holds up.", "", ""),
    "negative": (
        "Very disappointed.",
        "Won't be ordering again.",
        "Shame, because the products used to be great.",
        "Sort your couriers out.",
        "",
    ),
}
SURVEY_ANSWERS = {
    DELIGHTED: (
        "Great products, fast delivery and friendly service.",
        "I recommend you to all my friends already!",
        "The {box} is the highlight of my month.",
        "Everything I've ordered has been lovely.",
        "Easy returns and a real person answers.",
        "Loved the {product}, and the packaging was beautiful.",
    ),
    SATISFIED: (
        "Good products, delivery could be quicker.",
        "Mostly good. The app is a bit clunky.",
        "Nice things but a bit pricey.",
        "Happy overall.",
        "The {product} is nice, checkout was easy.",
    ),
    CONFUSED: (
        "Not sure yet, I've only ordered once.",
        "The website is nice but the app is confusing.",
        "Fine, but I never know when my box will arrive.",
        "I couldn't find the returns form, otherwise fine.",
    ),
    DISAPPOINTED: (
        "Quality has slipped a bit lately.",
        "Deliveries keep arriving late since the change of courier.",
        "It's fine I guess, but nothing special any more.",
        "Took too long to get a refund.",
        "The {product} wasn't quite what I expected.",
    ),
    FURIOUS: (
        "Awful delivery, broken items and nobody cares.",
        "Charged me twice and still no refund. Never again.",
        "Cancelled my subscription after the app login nightmare.",
        "I would tell people to avoid you.",
        "{courier} is a disaster and so is your customer service.",
    ),
}
FOREIGN = {
    "fr": {
        "positive": (
            "Très contente de ma commande {order}, livraison rapide et emballage soigné. Merci !",
            "Le plaid en laine est magnifique, exactement comme sur la photo.",
            "Service client très aimable, mon échange a été fait en deux jours.",
        ),
        "question": (
            "Bonjour, comment puis-je modifier l'adresse de livraison de ma commande {order} ?",
            "Bonjour, est-ce que vous livrez en Belgique ? Je ne trouve pas l'information.",
        ),
        "negative": (
            "Ma commande {order} n'est toujours pas arrivée après {days} jours. C'est inadmissible !",
            "La lampe est arrivée cassée et personne ne répond à mes messages. Je suis très déçue.",
            "Bof. La qualité n'est plus ce qu'elle était, dommage.",
        ),
    },
    "es": {
        "positive": (
            "Me encanta la manta, llegó muy rápido y bien embalada.",
            "Todo perfecto con el pedido {order}, ¡muchas gracias!",
        ),
        "question": (
            "Hola, ¿cómo puedo pausar mi suscripción de {box} durante un mes?",
            "Hola, ¿se puede cambiar el color de la funda nórdica después de pagar?",
        ),
        "negative": (
            "Llevo {days} días esperando el pedido {order}. ¡Quiero mi dinero de vuelta!",
            "La jarra de cristal llegó rota y nadie me contesta. Qué decepción.",
            "Me cobraron dos veces {amount} y todavía no me han devuelto nada.",
        ),
    },
    "de": {
        "positive": (
            "Die Tischlampe ist wunderschön und kam schnell an. Vielen Dank!",
            "Alles bestens mit Bestellung {order}, gerne wieder.",
        ),
        "question": (
            "Hallo, wie kann ich die Lieferadresse für Bestellung {order} ändern?",
            "Guten Tag, kann ich meine {box} für einen Monat pausieren?",
        ),
        "negative": (
            "Meine Bestellung {order} ist seit {days} Tagen überfällig. Das ist eine Frechheit!",
            "Der Wasserkocher kam beschädigt an, und niemand antwortet auf meine E-Mails.",
            "Eigentlich ganz okay, aber für den Preis hätte ich mehr erwartet.",
        ),
    },
}
FOREIGN_REPLIES = {
    "fr": (
        "Bonjour {first}, je suis vraiment désolée pour ce désagrément. Je m'en occupe personnellement et je reviens vers vous demain. Est-ce que cela vous convient ?",
        "Bonjour, veuillez consulter notre FAQ.",
    ),
    "es": (
        "Hola {first}, siento mucho lo ocurrido. Ya he pedido el reembolso y te escribo el {weekday} para confirmarlo. ¿Te parece bien?",
        "Hola, por favor consulte nuestras preguntas frecuentes.",
    ),
    "de": (
        "Hallo {first}, das tut mir wirklich leid. Ich kümmere mich heute darum und melde mich am {weekday} bei Ihnen. Passt Ihnen das?",
        "Bitte lesen Sie unsere FAQ.",
    ),
}

# What agents reply, from excellent to dismissive.
REPLY_ACK = (
    "Hi {first}, I'm really sorry. I can hear how frustrating this has been.",
    "Hi {first}, thank you for telling us, and I'm sorry you've been let down.",
    "Hi {first}, I completely understand why you're upset.",
    "Hello {first}, I'm so sorry, that's not the experience we want you to have.",
    "Hi {first}, thanks for your patience, and I'm sorry it's come to this.",
    "Dear {first}, I'm sorry, and thank you for giving us the chance to put it right.",
)
REPLY_ACK_HOWTO = (
    "Hi {first}, thanks for getting in touch, and it's a good question.",
    "Hello {first}, thanks for asking, and sorry it wasn't clearer on the site.",
    "Hi {first}, happy to help with this.",
)
REPLY_PRAISE = (
    "Hi {first}, thank you so much for taking the time to write. Messages like yours make the whole team's day, and I've shared it with them. Enjoy the {product}, and is there anything else we can do for you? {agent}",
    "Hello {first}, this is lovely to read, thank you! I'll pass it on to the warehouse team who packed your order. If you ever need anything, just reply here. Best wishes, {agent}",
    "Hi {first}, thank you! It's great to hear the {product} has found a good home. Would you like me to let you know when the {product2} is back in stock? Take care, {agent}",
)
DISMISSIVE_BY_TOPIC = {
    "late": (
        "Our records show the parcel was delivered. Please check with your neighbours.",
        "We can't be held responsible for the courier.",
        "As stated in my previous email, the order was dispatched on time.",
        "You must have entered the wrong address at checkout.",
    ),
    "damaged": (
        "The item was fine when it left our warehouse, so the damage must have happened after delivery.",
        "You should have checked the parcel in front of the driver.",
    ),
    "wrong": ("You must have selected the wrong option when ordering.",),
    "refund": (
        "As I already said, refunds take 5 to 10 working days. There is nothing more I can do.",
        "As I already said, you need to wait.",
    ),
    "app": (
        "Lots of customers log in without any problem, so the issue is likely on your side.",
        "You should have used the website instead of the app.",
    ),
    "subscription": (
        "If you had read the terms you would know the {box} renews automatically.",
        "You should have paused it before the cut-off date, as it says on the page.",
    ),
    "billing": ("Your bank will sort out any duplicate charge. It's not something we deal with.",),
    "quality": (
        "You should have read the instructions before using the {product}.",
        "The {product} is not designed for everyday use.",
    ),
    "howto": ("As I already said, it's all explained in the FAQ.", "It's on the website."),
    "safety": ("You should have read the instructions before using the {product}.",),
    "urgent": ("Delivery dates are not guaranteed, as our terms clearly state.",),
}
REPLY_UNDERSTAND = {
    "late": "Waiting in for a parcel that doesn't come is maddening, especially when you've planned your day around it.",
    "damaged": "Opening a parcel to find the {product} broken is really disappointing, particularly when it was meant to be a treat.",
    "wrong": "You chose the {product} for a reason, and getting something else instead is a real let-down.",
    "refund": "Being out of pocket by {amount} while you wait isn't fair on you.",
    "app": "Being locked out of your account when you just want to place an order is really annoying.",
    "subscription": "Being charged for a {box} you'd paused is exactly the kind of thing that shouldn't happen.",
    "billing": "Seeing money leave your account twice is worrying, and I'd feel the same.",
    "quality": "When you've paid {amount} for something you expect it to last, and this clearly hasn't.",
    "howto": "It really should be easier to find than it is.",
    "safety": "That must have been frightening, and I'm glad nobody was badly hurt.",
    "urgent": "I know the clock is ticking on this one, so I've gone straight to it.",
}
REPLY_OWN = (
    "That's on us, not you.",
    "We changed couriers recently and we haven't got it right yet; that's our responsibility.",
    "I've checked your account and you're right.",
    "You shouldn't have had to chase this.",
    "This one is our mistake and I'm sorry.",
)
REPLY_NEXT = {
    "late": "I've chased {courier} this morning and booked a guaranteed delivery for {weekday}; I'll check it's arrived.",
    "damaged": "I've sent a replacement {product} by express delivery, it should be with you by {weekday}, and there's no need to send the broken one back.",
    "wrong": "A free collection is booked for {weekday} and the right {product} is already on its way.",
    "refund": "I've issued the full refund of {amount} today; you'll see it within 3 to 5 working days.",
    "app": "I've reset your login on our side; the link I've just emailed will let you sign straight in, and your basket is saved.",
    "subscription": "I've refunded the {amount}, confirmed the pause on your {box} and added a month's credit for the trouble.",
    "billing": "I've cancelled the second charge of {amount} and added a £10 credit to your account.",
    "quality": "I've refunded {amount} and passed the photos to our buying team so they can look at the supplier.",
    "howto": "I've done it for you on our side this time, and I've emailed you a short step-by-step guide for next time.",
    "safety": "Please don't use it again. I've arranged a full refund and a courier to collect it, and our safety lead will call you today.",
    "urgent": "I've upgraded it to next-day delivery at no cost, and I'll text you the tracking myself.",
}
REPLY_QUESTION = (
    "Would a call be easier? Just reply with a good time.",
    "Is there anything else I can help with while I'm looking at your account?",
    "Would you prefer a refund or a replacement?",
    "Does {weekday} work for you?",
    "Could you send me a photo so I can make sure it doesn't happen again?",
    "Is there anything else about the order that isn't right?",
)
REPLY_SIGNOFF = ("Best wishes, {agent}", "Take care, {agent}", "{agent}, Maple & Co. Support")
ADEQUATE_REPLIES = (
    "Hi {first}, thanks for getting in touch. I've passed this on to the relevant team and they'll be in touch.",
    "Hello, your refund has been processed and should show within 5 to 10 working days.",
    "Hi {first}, I've checked order {order} and it's now out for delivery.",
    "Thanks for your message. A replacement has been sent and should arrive in 3 to 5 days.",
    "Hi {first}, sorry about that. I've logged it and you'll get an email once it's sorted.",
    "Hi, I've updated your account as requested. Thanks, {agent}",
)
CURT_REPLIES = (
    "Please see our FAQ.",
    "Please refer to our returns policy.",
    "Your ticket has been received.",
    "Refunds take 5 to 10 working days.",
    "Please clear your cache and try again.",
    "Delivery times are estimates and not guaranteed.",
    "We are unable to help further with this.",
    "Please contact the courier directly.",
)
AGENT_PROFILES = (  # weights of excellent, adequate, curt, dismissive
    (0.70, 0.20, 0.08, 0.02),
    (0.40, 0.35, 0.20, 0.05),
    (0.15, 0.35, 0.35, 0.15),
    (0.05, 0.25, 0.40, 0.30),
)
QUALITIES = ("excellent", "adequate", "curt", "dismissive")


@dataclass
class Story:
    """A named customer whose year is scripted: how many items, over which days, which arc."""

    name: str
    email: str
    count: int
    days: tuple[int, int]  # days before today: from, to
    arc: str  # "souring", "recovering", "steady"
    temperament: str = "mixed"
    language: str = ""


STORIES = (
    # cust-2: loved Maple, then the courier change; ends threatening a chargeback.
    Story("Marcus Bell", "marcus.bell@example.com", 14, (330, 100), "souring", "happy"),
    # cust-3: locked out by the app bug and double-charged; an excellent reply won her back.
    Story("Sofia Marino", "sofia.marino@example.org", 9, (62, 5), "recovering", "mixed"),
    # cust-4: a Maple Box regular with many small questions.
    Story("Owen Price", "owen.price@example.net", 16, (360, 3), "steady", "happy"),
    # cust-5: writes in French.
    Story("Hélène Dubois", "helene.dubois@example.com", 4, (200, 20), "steady", "mixed", "fr"),
    # cust-6: always angry, whatever happens.
    Story("Derek Ashworth", "derek.ashworth@example.net", 11, (300, 2), "steady", "grumpy"),
)


@dataclass
class _Plan:
    key: str
    name: str
    email: str
    count: int
    arc: str = "steady"
    temperament: str = "mixed"
    language: str = ""
    days: tuple[int, int] = (365, 1)
    items: list[Item] = field(default_factory=list)


class _Builder:
    def __init__(self, org: Organization, agents: Sequence[Person], today: datetime.date) -> None:
        self.org = org
        self.rng = random.Random(SEED)
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.cutoff = datetime.datetime.combine(today, datetime.time(0, 0), tzinfo=self.tz)
        self.agents = list(agents)
        self.profiles = [AGENT_PROFILES[i % len(AGENT_PROFILES)] for i in range(len(agents))]
        self.counters = dict.fromkeys(SOURCES, 0)
        self.threads = 0
        self.day_offsets = list(range(1, 366))
        weights: list[float] = []
        for ago in self.day_offsets:
            w = 0.8 + 0.4 * (365 - ago) / 365  # the business grows a little over the year
            if COURIER_WINDOW[0] <= ago <= COURIER_WINDOW[1]:
                w *= 2.0
            if LOGIN_WINDOW[0] <= ago <= LOGIN_WINDOW[1]:
                w *= 1.6
            weights.append(w)
        self.day_cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self.day_cum.append(total)

    # -- helpers -------------------------------------------------------------------------------
    def pick(self, options: Sequence[str]) -> str:
        return options[int(self.rng.random() * len(options))]

    def moment(self, lo: int, hi: int) -> datetime.datetime:
        """A time on a day between `hi` and `lo` days before today (weighted by volume)."""
        rng = self.rng
        if (lo, hi) == (365, 1):
            ago = rng.choices(self.day_offsets, cum_weights=self.day_cum)[0]
        else:
            ago = rng.randint(hi, lo)
        day = self.today - datetime.timedelta(days=ago)
        hour = min(23, 7 + int(rng.triangular(0, 16, 6)))
        when = datetime.time(hour, rng.randrange(60), rng.randrange(60))
        return datetime.datetime.combine(day, when, tzinfo=self.tz)

    def slots(self, first: str) -> dict[str, str]:
        rng = self.rng
        product = self.pick(PRODUCTS)
        return {
            "product": product,
            "product2": self.pick(PRODUCTS),
            "order": f"MC-{rng.randint(100000, 999999)}",
            "days": str(rng.randint(4, 21)),
            "amount": f"£{rng.randint(8, 240)}.{self.pick(('00', '50', '99', '95', '49'))}",
            "weekday": self.pick(WEEKDAYS),
            "courier": NEW_COURIER,
            "old_courier": OLD_COURIER,
            "box": BOX,
            "code": self.pick(CODES),
            "nth": "second",
            "first": first,
            "safety_product": self.pick(SAFETY_PRODUCTS),
            "agent": "",
        }

    def join(self, parts: Sequence[str], slots: dict[str, str]) -> str:
        done = (p.format_map(slots) for p in parts if p)
        return " ".join(p[0].upper() + p[1:] for p in done)

    def shout(self, template: str, slots: dict[str, str]) -> str:
        sentence = template.format_map(slots)
        r = self.rng.random()
        if r < 0.25:
            return sentence.upper()
        if r < 0.55:
            return sentence.rstrip(".!?") + self.pick(("!!", "!!!", "?!", "!"))
        return sentence

    # -- moods and topics ----------------------------------------------------------------------
    def mood(self, plan: _Plan, position: float, ago: int) -> str:
        rng = self.rng
        if plan.arc == "souring":
            if position < 0.35:
                return DELIGHTED if rng.random() < 0.6 else SATISFIED
            return DISAPPOINTED if position < 0.65 else FURIOUS
        if plan.arc == "recovering":
            if position < 0.35:
                return FURIOUS
            if position < 0.55:
                return DISAPPOINTED
            return SATISFIED if position < 0.8 else DELIGHTED
        mood = rng.choices(MOODS, weights=TEMPERAMENTS[plan.temperament])[0]
        if COURIER_WINDOW[0] <= ago <= COURIER_WINDOW[1] and rng.random() < 0.55:
            mood = FURIOUS if rng.random() < 0.45 else DISAPPOINTED
        return mood

    def problem(self, ago: int, channel: str) -> str:
        rng = self.rng
        if COURIER_WINDOW[0] <= ago <= COURIER_WINDOW[1] and rng.random() < 0.65:
            return "late" if rng.random() < 0.55 else "damaged"
        in_login_bug = LOGIN_WINDOW[0] <= ago <= LOGIN_WINDOW[1]
        if in_login_bug and channel == Channel.TICKET and rng.random() < 0.55:
            return "app"
        return rng.choices(PROBLEMS, weights=PROBLEM_WEIGHTS)[0]

    # -- texts ---------------------------------------------------------------------------------
    def ticket_text(
        self, mood: str, topic: str, contact: int, slots: dict[str, str], special: str
    ) -> str:
        rng, pick = self.rng, self.pick
        opener = pick(TICKET_OPENERS[mood])
        parts: list[str] = []
        if contact > 1:
            slots["nth"] = NTH.get(contact, "fifth")
            parts.append(
                self.shout(pick(REPEAT_PREFIXES), slots)
                if mood == FURIOUS
                else pick(REPEAT_PREFIXES)
            )
        if special == "safety":
            parts.append(pick(SAFETY_BODIES))
            parts.append(
                pick(("Please tell me what to do.", "Has this happened to anyone else?", ""))
            )
        elif special == "urgent":
            parts.append(pick(URGENT_BODIES))
            parts.append(pick(("Please help.", "Thank you.", "I really need an answer today.")))
        elif mood in (DELIGHTED, SATISFIED):
            parts.append(pick(TICKET_PRAISE))
            parts.append(pick(TICKET_PRAISE_EXTRA[mood]))
        elif mood == CONFUSED:
            parts.append(pick(TICKET_HOWTO))
            parts.append(pick(TICKET_HOWTO_EXTRA))
        elif mood == DISAPPOINTED:
            parts.append(pick(DISAPPOINTED_BODIES[topic]))
            parts.append(pick(DISAPPOINTED_EXTRA))
        else:
            parts.append(self.shout(pick(FURIOUS_BODIES[topic]), slots))
            for _ in range(1 + (rng.random() < 0.4)):
                parts.append(self.shout(pick(FURIOUS_EXTRA), slots))
        text = self.join(parts, slots)
        if opener:
            text = opener + ("\n\n" if opener.endswith(",") else " ") + text
        if mood != FURIOUS and rng.random() < 0.35:
            sign = pick(("Thanks,", "Kind regards,", "Best,", "Cheers,", "Many thanks,"))
            text += f"\n\n{sign}\n{slots['first']}"
        return text

    def review_text(self, mood: str, slots: dict[str, str]) -> str:
        tone = {DELIGHTED: "positive", SATISFIED: "positive", CONFUSED: "neutral"}.get(
            mood, "negative"
        )
        return self.join([self.pick(REVIEWS[mood]), self.pick(REVIEW_EXTRA[tone])], slots)

    def survey_text(self, mood: str, slots: dict[str, str]) -> str:
        return self.join([self.pick(SURVEY_ANSWERS[mood])], slots)

    def foreign_text(self, language: str, mood: str, slots: dict[str, str]) -> str:
        tone = {DELIGHTED: "positive", SATISFIED: "positive", CONFUSED: "question"}.get(
            mood, "negative"
        )
        return self.pick(FOREIGN[language][tone]).format_map(slots)

    def rating(self, channel: str, mood: str) -> int:
        rng = self.rng
        if channel == Channel.REVIEW:
            lo, hi = {
                DELIGHTED: (5, 5),
                SATISFIED: (4, 5),
                CONFUSED: (3, 4),
                DISAPPOINTED: (2, 3),
                FURIOUS: (1, 1),
            }[mood]
        else:
            lo, hi = {
                DELIGHTED: (9, 10),
                SATISFIED: (7, 9),
                CONFUSED: (5, 8),
                DISAPPOINTED: (3, 6),
                FURIOUS: (0, 3),
            }[mood]
        return rng.randint(lo, hi)

    def reply(
        self, item: Item, topic: str, contact: int, slots: dict[str, str], language: str
    ) -> None:
        rng, pick = self.rng, self.pick
        if not self.agents or rng.random() > 0.6:
            return
        replied = item.occurred_at + datetime.timedelta(minutes=rng.randint(25, 30 * 60))
        if replied >= self.cutoff:
            return  # still waiting for an answer
        index = int(rng.random() * len(self.agents))
        agent = self.agents[index]
        slots["agent"] = agent.name.split(" ")[0]
        weights = list(self.profiles[index])
        if contact > 1:
            weights[3] *= 2.5  # "As I already said..."
        quality = rng.choices(QUALITIES, weights=weights)[0]
        if language:
            text = FOREIGN_REPLIES[language][0 if quality in ("excellent", "adequate") else 1]
        elif topic == "praise":
            text = pick(REPLY_PRAISE) if quality != "curt" else "Thank you for your feedback."
        elif quality == "excellent":
            ack = pick(REPLY_ACK_HOWTO if topic == "howto" else REPLY_ACK)
            parts = [ack, REPLY_UNDERSTAND[topic]]
            if topic not in ("howto", "urgent", "safety"):
                own = pick(REPLY_OWN)
                if "couriers" not in own or topic in ("late", "damaged"):
                    parts.append(own)
            parts += [REPLY_NEXT[topic], pick(REPLY_QUESTION), pick(REPLY_SIGNOFF)]
            text = " ".join(parts)
        elif quality == "adequate":
            text = pick(ADEQUATE_REPLIES)
        elif quality == "curt":
            text = pick(CURT_REPLIES)
        else:
            text = pick(DISMISSIVE_BY_TOPIC[topic])
            if contact > 1 and not text.startswith("As ") and rng.random() < 0.5:
                text = (
                    pick(("As I already said, ", "As I said before, ")) + text[0].lower() + text[1:]
                )
        item.reply_text = text.format_map(slots)
        item.replied_at = replied
        item.agent = agent
        item.agent_name = agent.name

    # -- one customer --------------------------------------------------------------------------
    def new_item(self, channel: str, when: datetime.datetime, text: str) -> Item:
        self.counters[channel] += 1
        n = self.counters[channel]
        prefixes: dict[str, str] = {
            Channel.TICKET: "HD",
            Channel.REVIEW: "RV",
            Channel.SURVEY: "NPS",
        }
        prefix = prefixes[channel]
        return Item(
            organization=self.org,
            source=SOURCES[channel],
            external_id=f"{prefix}-{n:07d}",
            channel=channel,
            occurred_at=when,
            text=text,
        )

    def episodes(self, plan: _Plan) -> list[tuple[datetime.datetime, str, int]]:
        """(start, channel, length) for each episode, in time order, lengths adding up."""
        rng = self.rng
        result: list[tuple[datetime.datetime, str, int]] = []
        left = plan.count
        while left > 0:
            channel = rng.choices(
                (Channel.TICKET, Channel.REVIEW, Channel.SURVEY), weights=(0.445, 0.25, 0.15)
            )[0]
            length = 1
            if channel == Channel.TICKET and left > 1 and rng.random() < 0.2:
                length = min(left, rng.choice((2, 2, 2, 3, 3, 4)))
            start = self.moment(*plan.days)
            latest = self.cutoff - datetime.timedelta(days=3 * length + 1)
            if length > 1 and start > latest:
                start = latest.replace(hour=start.hour, minute=start.minute)
            result.append((start, channel, length))
            left -= length
        result.sort(key=lambda e: e[0])
        return result

    def build(self, plan: _Plan) -> None:
        rng = self.rng
        first = plan.name.split(" ")[0]
        episodes = self.episodes(plan)
        total = len(episodes)
        for index, (start, channel, length) in enumerate(episodes):
            ago = (self.today - start.date()).days
            position = index / (total - 1) if total > 1 else 0.5
            mood = self.mood(plan, position, ago)
            slots = self.slots(first)
            if channel != Channel.TICKET:
                text = (
                    self.foreign_text(plan.language, mood, slots)
                    if plan.language
                    else self.review_text(mood, slots)
                    if channel == Channel.REVIEW
                    else self.survey_text(mood, slots)
                )
                item = self.new_item(channel, start, text)
                item.rating = self.rating(channel, mood)
                item.rating_scale = (
                    RatingScale.STARS5 if channel == Channel.REVIEW else RatingScale.NPS10
                )
                plan.items.append(item)
                continue
            self.threads += 1
            thread = f"T-{self.threads:07d}"
            if length > 1 and mood in (DELIGHTED, SATISFIED):
                mood = CONFUSED
            special = ""
            r = rng.random()
            if r < 0.006:
                special, mood = "safety", rng.choice((DISAPPOINTED, FURIOUS))
            elif r < 0.018:
                special = "urgent"
            topic = self.problem(ago, channel)
            when = start
            for contact in range(1, length + 1):
                if contact > 1:
                    when += datetime.timedelta(minutes=rng.randint(14 * 60, 72 * 60))
                    if plan.arc != "recovering" or position < 0.55:  # recovered stay calm
                        mood = FURIOUS if rng.random() < 0.6 else DISAPPOINTED
                if plan.language:
                    text = self.foreign_text(plan.language, mood, slots)
                else:
                    text = self.ticket_text(mood, topic, contact, slots, special)
                item = self.new_item(channel, when, text)
                item.thread_id = thread
                reply_topic = special or (
                    "praise"
                    if mood in (DELIGHTED, SATISFIED)
                    else "howto"
                    if mood == CONFUSED
                    else topic
                )
                self.reply(item, reply_topic, contact, slots, plan.language)
                plan.items.append(item)

    def seed_case(self, plan: _Plan) -> None:
        """Eleanor: two good experiences, then a quiet three-star review, not answered yet."""
        day = datetime.timedelta(days=1)
        at = datetime.time(20, 14)
        survey = self.new_item(
            Channel.SURVEY,
            datetime.datetime.combine(self.today - 240 * day, at, tzinfo=self.tz),
            "Lovely quality as always, and the delivery was quick. I tell all my friends about you.",
        )
        survey.rating, survey.rating_scale = 9, RatingScale.NPS10
        self.threads += 1
        ticket = self.new_item(
            Channel.TICKET,
            datetime.datetime.combine(self.today - 150 * day, datetime.time(9, 2), tzinfo=self.tz),
            "Hi, quick question. Can I add a gift message to order MC-418207 after paying? "
            "It's for my mum's birthday. Thanks, Eleanor",
        )
        ticket.thread_id = f"T-{self.threads:07d}"
        if self.agents:
            agent = self.agents[0]
            ticket.agent, ticket.agent_name = agent, agent.name
            ticket.replied_at = ticket.occurred_at + datetime.timedelta(hours=2, minutes=11)
            ticket.reply_text = (
                "Hi Eleanor, of course, and what a lovely present. I've added your message to "
                "the order and it will be printed on a card in the parcel. Is there anything "
                f"else I can do? Best wishes, {agent.name.split(' ')[0]}"
            )
        review = self.new_item(
            Channel.REVIEW,
            datetime.datetime.combine(self.today - 4 * day, datetime.time(21, 37), tzinfo=self.tz),
            SEED_CASE_REVIEW,
        )
        review.rating, review.rating_scale = 3, RatingScale.STARS5
        plan.items += [survey, ticket, review]


def _ascii(text: str) -> str:
    return (
        unicodedata.normalize("NFKD", text)
        .encode("ascii", "ignore")
        .decode()
        .lower()
        .replace("'", "")
    )


def _plans(rng: random.Random, items: int) -> list[_Plan]:
    """Who the customers are and how many items each has; the counts add up to `items`."""
    plans: list[_Plan] = []
    if items >= 3:
        plans.append(_Plan(SEED_CASE_KEY, SEED_CASE_NAME, "eleanor.whitfield@example.com", 3))
    budget = items - sum(p.count for p in plans)
    for story in STORIES:
        if story.count * 4 > budget:
            break
        plans.append(
            _Plan(
                f"cust-{len(plans) + 1}",
                story.name,
                story.email,
                story.count,
                story.arc,
                story.temperament,
                story.language,
                story.days,
            )
        )
        budget -= story.count
    if budget <= 0:
        return plans
    customers = max(1, min(budget, round(budget * 400 / 3000)))
    raw: list[int] = []
    for _ in range(customers):
        r = rng.random()
        if r < 0.65:
            raw.append(rng.randint(1, 3))
        elif r < 0.95:
            raw.append(rng.randint(4, 22))
        else:
            raw.append(rng.randint(25, 70))
    scale = budget / sum(raw)
    counts = [max(1, round(c * scale)) for c in raw]
    diff = budget - sum(counts)
    order = sorted(range(customers), key=lambda i: -counts[i])
    i = 0
    while diff != 0:
        j = order[i % customers]
        if diff > 0:
            counts[j] += 1
            diff -= 1
        elif counts[j] > 1:
            counts[j] -= 1
            diff += 1
        i += 1
    used = {p.email.split("@")[0] for p in plans}
    assigned = sum(p.count for p in plans)
    foreign = sum(p.count for p in plans if p.language)
    for count in counts:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        style = rng.random()
        base = (
            f"{_ascii(first)}.{_ascii(last)}"
            if style < 0.6
            else f"{_ascii(first)[0]}{_ascii(last)}"
            if style < 0.85
            else f"{_ascii(first)}{_ascii(last)}{rng.randint(1, 99)}"
        ).replace(" ", "")
        local, n = base, 2
        while local in used:
            local, n = f"{base}{n}", n + 1
        used.add(local)
        r = rng.random()
        temperament = "happy" if r < 0.35 else "mixed" if r < 0.8 else "grumpy"
        arc = "steady"
        if count >= 5 and rng.random() < 0.15:
            arc = rng.choice(("souring", "recovering"))
        # About 2% of the items are in French, Spanish or German, written by a few customers.
        assigned += count
        language = ""
        if foreign + count <= 0.025 * assigned and rng.random() < 0.1:
            language = rng.choice(("fr", "es", "de"))
            foreign += count
        plans.append(
            _Plan(
                f"cust-{len(plans) + 1}",
                f"{first} {last}",
                f"{local}@{rng.choice(DOMAINS)}",
                count,
                arc,
                temperament,
                language,
            )
        )
    return plans


def _flush(pending: list[_Plan]) -> None:
    customers = []
    for plan in pending:
        times = [item.occurred_at for item in plan.items]
        customers.append(
            Customer(
                organization=plan.items[0].organization,
                key=plan.key,
                name=plan.name,
                email=plan.email,
                first_seen=min(times),
                last_contact=max(times),
            )
        )
    Customer.objects.bulk_create(customers, batch_size=1000)
    rows: list[Item] = []
    for plan, customer in zip(pending, customers, strict=True):
        for item in plan.items:
            item.customer_id = customer.pk
        rows += plan.items
        plan.items = []
    Item.objects.bulk_create(rows, batch_size=1000)


def customer_plans(
    org: Organization, *, items: int = 3000, today: datetime.date | None = None
) -> Iterator[_Plan]:
    """Maple & Co.'s customers, one at a time, each with its (unsaved) items: `items` tickets,
    reviews and survey answers spread over the 12 months before `today`. The same arguments
    give the same customers and texts. Used by the demo and by `make bench BENCH=customers`,
    which writes them to a file to import."""
    today = today or timezone.localdate()
    agents = list(
        Person.objects.for_org(org)
        .filter(customer_facing=True, role_family="Customer support")
        .order_by("email")
    ) or list(Person.objects.for_org(org).filter(customer_facing=True).order_by("email"))
    builder = _Builder(org, agents, today)
    priya = next((i for i, a in enumerate(agents) if a.email.startswith("priya.shah@")), None)
    if priya is not None:  # the demo's employee login is one of the kindest agents
        builder.profiles[priya] = AGENT_PROFILES[0]
    for plan in _plans(builder.rng, items):
        if plan.key == SEED_CASE_KEY:
            builder.seed_case(plan)
        else:
            builder.build(plan)
        yield plan


@transaction.atomic
def build_customer_demo(
    org: Organization, *, items: int = 3000, today: datetime.date | None = None
) -> int:
    """Create Maple & Co.'s customers and `items` tickets, reviews and survey answers spread
    over the 12 months before `today`; return how many items were created."""
    created = 0
    pending: list[_Plan] = []
    pending_items = 0
    for plan in customer_plans(org, items=items, today=today):
        pending.append(plan)
        pending_items += len(plan.items)
        if pending_items >= 5000:
            _flush(pending)
            created += pending_items
            pending, pending_items = [], 0
    if pending:
        _flush(pending)
        created += pending_items
    return created


OUTCOME_NOTES = {
    "resolved": (
        "Called them, apologised and sent a replacement; they were happy with that.",
        "Refunded the delivery charge and explained the courier change; thanked us.",
        "Talked it through on the phone; they're staying with us.",
    ),
    "lost": (
        "No answer to two calls and an email; they cancelled the subscription.",
        "They had already ordered elsewhere; we offered a discount, declined.",
    ),
}


def build_outreach_history(org: Organization, *, today: datetime.date | None = None) -> int:
    """Follow-ups Support already worked on in the months before `today`, so the recovery
    rate has history: low-rated items older than the 30 days the rules look at, each closed
    as recovered or not, owned by the agents. Returns how many."""
    rng = random.Random(SEED + 1)
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=35), datetime.time())
    )
    agents = list(
        Person.objects.for_org(org).filter(customer_facing=True, role_family="Customer support")
    )
    if not agents:
        return 0
    candidates = (
        Item.objects.for_org(org)
        .filter(occurred_at__lt=cutoff, rating__isnull=False, customer__isnull=False)
        .filter(Q(rating_scale="stars5", rating__lte=2) | Q(rating_scale="nps10", rating__lte=4))
        .order_by("-occurred_at")
    )
    seen: set[int] = set()
    follow_ups: list[FollowUp] = []
    for item in candidates:
        customer_id = item.customer_id
        if customer_id is None or customer_id in seen or len(follow_ups) >= 40:
            continue
        seen.add(customer_id)
        status = "resolved" if rng.random() < 0.65 else "lost"
        closed = item.occurred_at + datetime.timedelta(days=rng.randint(1, 6))
        follow_ups.append(
            FollowUp(
                organization=org,
                customer_id=customer_id,
                item=item,
                rule="rating",
                why=f"rated {item.rating}: “{item.text[:87]}”",
                owner=rng.choice(agents),
                due_on=(item.occurred_at + datetime.timedelta(days=1)).date(),
                status=status,
                notes=rng.choice(OUTCOME_NOTES[status]),
                closed_at=closed,
            )
        )
    FollowUp.objects.bulk_create(follow_ups)
    return len(follow_ups)
