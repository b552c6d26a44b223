"""The search index's rows (the full-text indexes follow in 0002)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('induction', '0007_inductees_and_checklist_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, unique=True)),
                ('group', models.CharField(choices=[('national', 'National guide'), ('pack', 'Trust induction packs')], max_length=20)),
                ('label', models.CharField(help_text='What kind of thing this is, in words.', max_length=200)),
                ('title', models.CharField(max_length=400)),
                ('body', models.TextField()),
                ('url', models.CharField(blank=True, max_length=500)),
                ('anchor', models.CharField(blank=True, max_length=100)),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('pack_version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='induction.packversion')),
            ],
            options={
                'ordering': ['id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('group', 'national'), ('pack_version__isnull', True)), models.Q(('group', 'pack'), ('pack_version__isnull', False)), _connector='OR'), name='search_document_pack_rows_name_their_version')],
            },
        ),
    ]
