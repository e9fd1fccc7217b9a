"""Draw a kab/kota's sample again from its recorded inputs (PKPU 10/2022; ``verification.sampling``) and say
whether it is the sample recorded: the population (the administrative round's MS rows in the kab/kota, read
again from the database), the sort order, the age date, the Krejcie-Morgan parameters and the start number
recorded on the draw. Prints the inputs and MATCH, or each difference and exits with status 1."""

from django.core.management.base import BaseCommand, CommandError

from verification.models import SampleDraw
from verification.selectors_sample import draw_rederive


class Command(BaseCommand):
    help = "Re-derive a recorded sample draw (verification.SampleDraw id) from its inputs and compare."

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=int)

    def handle(self, *args, draw_id: int, **options):
        draw = SampleDraw.objects.filter(pk=draw_id).first()
        if draw is None:
            raise CommandError(f"no sample draw {draw_id}")
        check = draw_rederive(draw)
        result = check.result
        self.stdout.write(
            f"draw {draw.pk}: round {draw.round_id}, kab/kota {draw.regency_code}; sort: {draw.sort_order}; "
            f"ages on {draw.age_on.isoformat()}; chi2={draw.chi_square} P={draw.proportion} d={draw.margin}"
        )
        self.stdout.write(
            f"recorded: N={draw.population} n={draw.size} interval={draw.interval} start={draw.start} "
            f"(chosen {draw.chosen_start}) drawn={len(check.recorded_positions)}"
        )
        self.stdout.write(
            f"derived:  N={result.population} n={result.size} interval={float(result.interval):.6f} "
            f"start={draw.start} drawn={len(check.derived_positions)}"
        )
        if check.matches:
            self.stdout.write(self.style.SUCCESS("MATCH: the recorded inputs give the recorded sample"))
            return
        for difference in check.differences:
            self.stderr.write(f"DIFFERS: {difference}")
        raise CommandError("the recorded sample is not the one its inputs give", returncode=1)
