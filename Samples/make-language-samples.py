#!/usr/bin/env python3
"""Pages in other languages for the language=auto tests, rendered from text written here (so the
truth is exact): French, German, Spanish and Portuguese pages (the last for a language whose model
may not be installed), a two-page TIFF of the French page then the German one, a Russian line, a page half French and half German, a Japanese page and a
Hindi page.

Needs Pillow (with libraqm, for Devanagari), the DejaVu fonts, fonts-ipafont-gothic and
fonts-lohit-deva; run it again only to change the fixtures. Writes language-*.png and .txt here.
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).parent
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
JAPANESE_FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
DEVANAGARI_FONT = "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf"

FRENCH = """Le conseil municipal de la petite ville s'est réuni jeudi soir pour examiner le budget de l'année prochaine. \
Les élus ont longuement discuté de la rénovation de l'école primaire, dont la toiture laisse passer la pluie depuis \
plusieurs hivers. Le maire a rappelé que les travaux devront commencer avant la rentrée de septembre, faute de quoi \
les enfants seraient accueillis dans des salles provisoires. Une conseillère a demandé que l'on étudie aussi \
l'isolation des murs, afin de réduire les dépenses de chauffage. Après deux heures de débat, le projet a été adopté \
à l'unanimité, et une réunion publique sera organisée le mois prochain pour présenter les plans aux habitants."""

GERMAN = """Die Bibliothek der Stadt bleibt in den nächsten drei Wochen wegen Umbauarbeiten geschlossen. Während dieser \
Zeit werden die Regale im Erdgeschoss erneuert und ein neuer Lesesaal für Schüler eingerichtet. Bücher, die bereits \
ausgeliehen wurden, können in den Briefkasten neben dem Haupteingang geworfen werden; Mahngebühren werden in dieser \
Zeit nicht erhoben. Die Leiterin der Bibliothek erklärte, dass die Arbeiten schon lange geplant waren und nun endlich \
mit Unterstützung des Landes bezahlt werden können. Ab dem ersten Montag im Oktober sind die Räume wieder zu den \
gewohnten Zeiten geöffnet, und am Samstag danach gibt es ein kleines Fest für Kinder und Eltern."""

SPANISH = """El mercado del barrio abre todos los sábados por la mañana en la plaza mayor. Los agricultores de los \
pueblos cercanos traen frutas, verduras, queso y pan recién hecho, y muchos vecinos aprovechan para hacer la compra \
de toda la semana. Este año el ayuntamiento ha decidido ampliar el horario hasta las tres de la tarde, porque en \
verano la gente prefiere salir después del desayuno. También se han instalado nuevos toldos para proteger los puestos \
del sol. Una vendedora de miel contó que lleva más de veinte años acudiendo al mercado y que nunca había visto tanta \
gente como en las últimas semanas, sobre todo familias jóvenes con niños pequeños."""

MIXED_FRENCH = """La société s'engage à livrer les marchandises dans un délai de trente jours à compter de la signature \
du présent contrat. Tout retard de livraison donnera lieu au paiement d'une pénalité calculée sur le montant total \
de la commande, sauf en cas de force majeure dûment justifiée par le fournisseur."""

MIXED_GERMAN = """Das Unternehmen verpflichtet sich, die Waren innerhalb von dreißig Tagen nach der Unterzeichnung \
dieses Vertrages zu liefern. Jede Verspätung der Lieferung führt zur Zahlung einer Vertragsstrafe, die auf den \
Gesamtbetrag der Bestellung berechnet wird, außer im Fall höherer Gewalt, die der Lieferant nachweisen muss."""

PORTUGUESE = """A biblioteca municipal vai abrir uma nova sala de leitura no próximo mês, depois de quase um ano de \
obras. O espaço terá mesas para quarenta pessoas, computadores para os estudantes e uma secção dedicada aos livros \
infantis. A diretora explicou que as estantes antigas foram substituídas e que a iluminação é agora muito melhor, \
sobretudo nas tardes de inverno. Os leitores poderão requisitar até cinco livros de cada vez, durante três semanas, \
e a renovação passará a ser feita também pela internet. Aos sábados haverá sessões de leitura para crianças, com \
a participação de escritores da região, e a entrada continuará a ser gratuita para todos os moradores."""

RUSSIAN_LINE = "Вечером в городской библиотеке состоится встреча с известным писателем."

JAPANESE = [
    "市立図書館は来月から開館時間を延長します。",
    "平日は午後八時まで、土曜日と日曜日は午後六時まで利用できます。",
    "新しい閲覧室には机と椅子が五十席用意されています。",
    "本の貸し出しは一人十冊まで、期間は二週間です。",
    "詳しいことは図書館の窓口でお問い合わせください。",
    "子ども向けの読み聞かせ会は毎週土曜日の午前中に開かれます。",
    "皆様のご来館を心よりお待ちしております。",
]

HINDI = [
    "शहर के पुस्तकालय में अगले महीने से नया वाचनालय खुलेगा।",
    "विद्यार्थी सुबह नौ बजे से शाम सात बजे तक यहाँ पढ़ सकेंगे।",
    "हर सदस्य एक बार में पाँच किताबें घर ले जा सकता है।",
    "बच्चों के लिए हर शनिवार को कहानी सुनाने का कार्यक्रम होगा।",
    "अधिक जानकारी के लिए पुस्तकालय के कार्यालय से संपर्क करें।",
]


def wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return lines + [line]


def page(name, paragraphs, font_path=SERIF, size=40, width=1800, height=1500, wrap_text=True, dpi=300, margin=120):
    """A white page with `paragraphs` drawn in black from the top margin, a blank line between them."""
    font = ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y, truth = margin, []
    for paragraph in paragraphs:
        lines = wrap(draw, paragraph, font, width - 2 * margin) if wrap_text else [paragraph]
        for line in lines:
            draw.text((margin, y), line, font=font, fill=0)
            assert y + size * 1.3 < height - margin // 2, f"{name}: the text does not fit"
            truth.append(line)
            y += int(size * 1.6)
        y += int(size * 0.8)
    image.convert("1").save(HERE / f"{name}.png", dpi=(dpi, dpi), optimize=True)
    (HERE / f"{name}.txt").write_text("\n".join(truth) + "\n", encoding="utf-8")


def main():
    page("language-fr", [FRENCH])
    page("language-de", [GERMAN])
    page("language-es", [SPANISH])
    page("language-fr-de", [MIXED_FRENCH, MIXED_GERMAN])
    page("language-pt", [PORTUGUESE])
    # A two-page document whose pages differ (the French page, then the German one), with its truth.
    french, german = (Image.open(HERE / f"language-{tag}.png") for tag in ("fr", "de"))
    french.save(HERE / "language-fr-then-de.tif", compression="group4", dpi=(300, 300), save_all=True, append_images=[german])
    (HERE / "language-fr-then-de.txt").write_text(
        (HERE / "language-fr.txt").read_text(encoding="utf-8") + "\f\n" + (HERE / "language-de.txt").read_text(encoding="utf-8"),
        encoding="utf-8")
    # A bilingual document: two pages half French, half German, then a French page, with its truth.
    mixed = Image.open(HERE / "language-fr-de.png")
    mixed.save(HERE / "language-bilingual-3pages.tif", compression="group4", dpi=(300, 300), save_all=True,
               append_images=[mixed, french])
    (HERE / "language-bilingual-3pages.txt").write_text("\f\n".join(
        (HERE / f"language-{tag}.txt").read_text(encoding="utf-8") for tag in ("fr-de", "fr-de", "fr")), encoding="utf-8")
    page("language-ru-line", [RUSSIAN_LINE], width=1700, height=120, margin=30, wrap_text=False)
    page("language-ja", JAPANESE, font_path=JAPANESE_FONT, size=44, wrap_text=False)
    page("language-hi", HINDI, font_path=DEVANAGARI_FONT, size=44, wrap_text=False)


if __name__ == "__main__":
    main()
